using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ThresholdKeySets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Threshold",
                table: "KeySets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DealtAt",
                table: "KeySetMembers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ExchangeKey",
                table: "KeySetMembers",
                type: "bytea",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinContributors",
                table: "Jobs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Missed",
                table: "JobNodes",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "StandsBy",
                table: "JobNodes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "KeySetThresholdShares",
                columns: table => new
                {
                    KeySetId = table.Column<Guid>(type: "uuid", nullable: false),
                    DealerId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecipientId = table.Column<Guid>(type: "uuid", nullable: false),
                    Ciphertext = table.Column<byte[]>(type: "bytea", nullable: false),
                    Signature = table.Column<byte[]>(type: "bytea", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeySetThresholdShares", x => new { x.KeySetId, x.DealerId, x.RecipientId });
                    table.ForeignKey(
                        name: "FK_KeySetThresholdShares_KeySets_KeySetId",
                        column: x => x.KeySetId,
                        principalTable: "KeySets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KeySetThresholdShares_KeySetId_RecipientId",
                table: "KeySetThresholdShares",
                columns: new[] { "KeySetId", "RecipientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeySetThresholdShares");

            migrationBuilder.DropColumn(
                name: "Threshold",
                table: "KeySets");

            migrationBuilder.DropColumn(
                name: "DealtAt",
                table: "KeySetMembers");

            migrationBuilder.DropColumn(
                name: "ExchangeKey",
                table: "KeySetMembers");

            migrationBuilder.DropColumn(
                name: "MinContributors",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Missed",
                table: "JobNodes");

            migrationBuilder.DropColumn(
                name: "StandsBy",
                table: "JobNodes");
        }
    }
}
