using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ConfirmExistingAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sign-in now needs a confirmed address; accounts made before this version keep signing in.
            migrationBuilder.Sql(@"UPDATE ""AspNetUsers"" SET ""EmailConfirmed"" = TRUE;");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
