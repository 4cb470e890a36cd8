using System.Globalization;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>How the portal writes dates, numbers and workflow states for people.</summary>
public static class PortalFormat
{
    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time, string whenNone) => time is { } value ? Time(value) : whenNone;

    public static string Date(DateTimeOffset time) => time.ToUniversalTime().ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Number(double value) =>
        Math.Abs(value - Math.Round(value)) < 1e-9
            ? Math.Round(value).ToString("N0", CultureInfo.InvariantCulture)
            : value.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>A workflow state in words: <c>ChangesRequested</c> becomes "changes requested".</summary>
    public static string State(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var words = new System.Text.StringBuilder();
        foreach (var c in state)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ');
            }
            words.Append(char.ToLowerInvariant(c));
        }
        return words.ToString();
    }

    /// <summary>The CSS class of a state badge.</summary>
    public static string StateClass(string state) => "status status-" + (state ?? "").ToLowerInvariant();

    public static string Decision(string decision) => decision switch
    {
        "approve" => "approved",
        "reject" => "rejected",
        "requestChanges" => "asked for changes",
        _ => decision,
    };
}
