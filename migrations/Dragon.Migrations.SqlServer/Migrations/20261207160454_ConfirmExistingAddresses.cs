using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ConfirmExistingAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sign-in now needs a confirmed address; accounts made before this version keep signing in.
            migrationBuilder.Sql(@"UPDATE [AspNetUsers] SET [EmailConfirmed] = 1;");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
