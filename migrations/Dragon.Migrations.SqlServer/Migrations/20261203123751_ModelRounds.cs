using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ModelRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Model",
                table: "Jobs",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriorRound",
                table: "Jobs",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Round",
                table: "Jobs",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Model",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "PriorRound",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Round",
                table: "Jobs");
        }
    }
}
