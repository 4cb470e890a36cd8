using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dragon.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SubjectRefBinaryCollation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQL Server cannot change the collation of a column that a key or an index uses: drop them, change, recreate.
            DropDependents(migrationBuilder);

            migrationBuilder.AlterColumn<string>(
                name: "SubjectRef",
                table: "PatientLinks",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "SubjectRef",
                table: "LinkCodes",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "SubjectRef",
                table: "Consents",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            CreateDependents(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropDependents(migrationBuilder);

            migrationBuilder.AlterColumn<string>(
                name: "SubjectRef",
                table: "PatientLinks",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "SubjectRef",
                table: "LinkCodes",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "SubjectRef",
                table: "Consents",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            CreateDependents(migrationBuilder);
        }

        private static void DropDependents(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Consents_NodeId_CohortId_SubjectRef", table: "Consents");
            migrationBuilder.DropIndex(name: "IX_Consents_NodeId_SubjectRef", table: "Consents");
            migrationBuilder.DropIndex(name: "IX_PatientLinks_NodeId_SubjectRef", table: "PatientLinks");
            migrationBuilder.DropPrimaryKey(name: "PK_PatientLinks", table: "PatientLinks");
        }

        private static void CreateDependents(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddPrimaryKey(name: "PK_PatientLinks", table: "PatientLinks", columns: new[] { "UserId", "NodeId", "SubjectRef" });
            migrationBuilder.CreateIndex(name: "IX_Consents_NodeId_CohortId_SubjectRef", table: "Consents", columns: new[] { "NodeId", "CohortId", "SubjectRef" }, unique: true);
            migrationBuilder.CreateIndex(name: "IX_Consents_NodeId_SubjectRef", table: "Consents", columns: new[] { "NodeId", "SubjectRef" });
            migrationBuilder.CreateIndex(name: "IX_PatientLinks_NodeId_SubjectRef", table: "PatientLinks", columns: new[] { "NodeId", "SubjectRef" });
        }
    }
}
