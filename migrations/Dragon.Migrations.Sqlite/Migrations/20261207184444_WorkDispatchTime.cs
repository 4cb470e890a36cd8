using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WorkDispatchTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DispatchedAt",
                table: "WorkItems",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DispatchedAt",
                table: "WorkItems");
        }
    }
}
