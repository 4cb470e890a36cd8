using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.PostgreSql.Migrations
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
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriorRound",
                table: "Jobs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Round",
                table: "Jobs",
                type: "integer",
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
