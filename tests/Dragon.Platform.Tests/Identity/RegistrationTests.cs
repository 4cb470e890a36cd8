using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Identity;

/// <summary>
/// Registration answers the same whether the address has an account or not, tells the address's owner by e-mail, and
/// leaves a new account unusable until the e-mailed link is opened.
/// </summary>
public abstract class RegistrationTests(ApiFixture fixture)
{
    private DragonApiFactory Factory => fixture.Factory;

    [Fact]
    public async Task NewAddress_CannotSignInUntilTheEmailedLinkIsOpened()
    {
        var email = NewAddress();

        var answer = await RegisterAsync(email, TestAccounts.Password);

        Assert.Equal(PatientRegistration.Accepted, answer.Message);
        Assert.Equal(HttpStatusCode.BadRequest, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(email, TestAccounts.Password))).StatusCode);
        await TestMailbox.ConfirmAsync(Factory, email);
        var me = await (await Factory.Accounts.Authorized(await Factory.Accounts.PasswordTokenAsync(email, TestAccounts.Password)).GetAsync("/api/v1/users/me"))
            .ReadAsAsync<UserResponse>(HttpStatusCode.OK);
        Assert.Equal(email, me.Email);
        Assert.Equal([DragonRoles.Patient], me.Roles);
    }

    [Fact]
    public async Task KnownAddress_GetsTheSameAnswer_AndItsOwnerAnEmail_NotASecondAccount()
    {
        var known = await Factory.Accounts.NewUserAsync(DragonRoles.Patient);
        var before = await UserCountAsync();

        var answerForKnown = await PostRegisterAsync(known.User.Email, "another long passphrase here");
        var answerForNew = await PostRegisterAsync(NewAddress(), TestAccounts.Password);

        Assert.Equal((answerForNew.Status, answerForNew.Body), (answerForKnown.Status, answerForKnown.Body));
        Assert.Equal(HttpStatusCode.Accepted, answerForKnown.Status);
        Assert.Equal(before + 1, await UserCountAsync());
        var mail = Assert.Single(TestMailbox.To(Factory, known.User.Email));
        Assert.Contains("which already has one", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("confirm-email", mail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(known.User.Email, TestAccounts.Password))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(known.User.Email, "another long passphrase here"))).StatusCode);
    }

    [Fact]
    public async Task UnconfirmedAddress_RegisteringAgain_GetsAFreshLink_ForTheFirstPassword()
    {
        var email = NewAddress();
        await RegisterAsync(email, TestAccounts.Password);

        await RegisterAsync(email, "a different long passphrase");

        Assert.Equal(2, TestMailbox.To(Factory, email).Count);
        Assert.Contains("the password you chose when you first registered", TestMailbox.To(Factory, email)[^1], StringComparison.Ordinal);
        await TestMailbox.ConfirmAsync(Factory, email);
        Assert.Equal(HttpStatusCode.OK, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(email, TestAccounts.Password))).StatusCode);
    }

    [Fact]
    public async Task ConfirmationWithAWrongTokenOrAnotherAccountsId_IsRefused()
    {
        var email = NewAddress();
        await RegisterAsync(email, TestAccounts.Password);
        var link = new Uri(new Uri("http://localhost"), TestMailbox.ConfirmationLink(Factory, email));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var userId = Guid.Parse(query["user"]!);
        var token = query["token"]!;
        var client = Factory.CreateClient();

        var wrongToken = await client.PostAsJsonAsync("/api/v1/account/confirm", new ConfirmEmailRequest(userId, token[..^4] + "AAAA"), DragonJson.Options);
        var otherUser = await client.PostAsJsonAsync("/api/v1/account/confirm", new ConfirmEmailRequest(Guid.NewGuid(), token), DragonJson.Options);
        var page = await client.GetAsync($"/portal/confirm-email?user={userId}&token=nonsense");

        Assert.NotEmpty((await wrongToken.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("token"));
        Assert.NotEmpty((await otherUser.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("token"));
        Assert.Contains("This link does not work", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(email, TestAccounts.Password))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/account/confirm", new ConfirmEmailRequest(userId, token), DragonJson.Options)).StatusCode);
    }

    [Fact]
    public async Task ShortPassword_IsRefusedAlike_ForKnownAndUnknownAddresses()
    {
        var known = await Factory.Accounts.NewUserAsync(DragonRoles.Patient);

        var forKnown = await (await Factory.CreateClient().PostAsJsonAsync("/api/v1/account/register", new RegisterRequest(known.User.Email, "short", "Pat"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var forNew = await (await Factory.CreateClient().PostAsJsonAsync("/api/v1/account/register", new RegisterRequest(NewAddress(), "short", "Pat"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(forNew.FieldErrors("password"), forKnown.FieldErrors("password"));
        Assert.Empty(TestMailbox.To(Factory, known.User.Email));
    }

    private static string NewAddress() => $"registrant-{Guid.NewGuid():N}@dragon.test";

    private async Task<RegisterResponse> RegisterAsync(string email, string password) =>
        await (await Factory.CreateClient().PostAsJsonAsync("/api/v1/account/register", new RegisterRequest(email, password, "Pat Ient"), DragonJson.Options))
            .ReadAsAsync<RegisterResponse>(HttpStatusCode.Accepted);

    private async Task<(HttpStatusCode Status, string Body)> PostRegisterAsync(string email, string password)
    {
        using var response = await Factory.CreateClient().PostAsJsonAsync("/api/v1/account/register", new RegisterRequest(email, password, "Pat Ient"), DragonJson.Options);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<int> UserCountAsync()
    {
        var admin = await Factory.Accounts.AdminAsync();
        return (await (await admin.GetAsync("/api/v1/users?pageSize=1")).ReadAsAsync<Paged<UserResponse>>(HttpStatusCode.OK)).Total;
    }
}

public sealed class SqliteRegistrationTests(SqliteApiFixture fixture) : RegistrationTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresRegistrationTests(PostgresApiFixture fixture) : RegistrationTests(fixture), IClassFixture<PostgresApiFixture>;
