using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DifferentialPrivacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReleaseMode",
                table: "Jobs",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "exact");

            migrationBuilder.AddColumn<double>(
                name: "Rho",
                table: "Jobs",
                type: "float",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<decimal>(
                name: "Max",
                table: "CohortVariables",
                type: "decimal(28,8)",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "Min",
                table: "CohortVariables",
                type: "decimal(28,8)",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReleaseMode",
                table: "Agreements",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "exact");

            migrationBuilder.AddColumn<string>(
                name: "ReleaseMode",
                table: "AccessDecisions",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReleaseMode",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Rho",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Max",
                table: "CohortVariables");

            migrationBuilder.DropColumn(
                name: "Min",
                table: "CohortVariables");

            migrationBuilder.DropColumn(
                name: "ReleaseMode",
                table: "Agreements");

            migrationBuilder.DropColumn(
                name: "ReleaseMode",
                table: "AccessDecisions");
        }
    }
}
