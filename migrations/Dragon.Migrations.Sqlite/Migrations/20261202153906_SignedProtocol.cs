using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SignedProtocol : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "IdentityKey",
                table: "Nodes",
                type: "BLOB",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DecryptedParts",
                table: "KeySets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<byte[]>(
                name: "ShareSignature",
                table: "KeySetMembers",
                type: "BLOB",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Commitment",
                table: "JobNodes",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "CommitmentSignature",
                table: "JobNodes",
                type: "BLOB",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "DecryptionShareSignature",
                table: "JobNodes",
                type: "BLOB",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IdentityKey",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "DecryptedParts",
                table: "KeySets");

            migrationBuilder.DropColumn(
                name: "ShareSignature",
                table: "KeySetMembers");

            migrationBuilder.DropColumn(
                name: "Commitment",
                table: "JobNodes");

            migrationBuilder.DropColumn(
                name: "CommitmentSignature",
                table: "JobNodes");

            migrationBuilder.DropColumn(
                name: "DecryptionShareSignature",
                table: "JobNodes");
        }
    }
}
