namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>The comparer on hand-made models: each kind of drift is one readable line, and agreement is none.</summary>
public sealed class SchemaComparerTests
{
    private static readonly TableModel Runs = TableModel.Of("runs",
        [new("id", TypeFamily.Text, false), new("agent_id", TypeFamily.Text, false), new("started_at", TypeFamily.Integer, false),
         new("archived", TypeFamily.Integer, false)],
        primaryKey: ["id"],
        indexes: [new("ix_runs_started", ["agent_id", "started_at desc"], Unique: false, Partial: false)],
        uniques: [new(["agent_id", "started_at"])],
        foreignKeys: [new(["agent_id"], "agents", ["id"])]);

    private static readonly SchemaModel Sqlite = new([Runs]);

    [Fact]
    public void Equal_models_have_no_differences()
    {
        var postgres = new SchemaModel([Runs with { Columns = [.. Runs.Columns.Select(c => c.Name == "archived" ? c with { Family = TypeFamily.Boolean } : c)] }]);

        Assert.Empty(SchemaComparer.Compare(Sqlite, postgres));
    }

    [Fact]
    public void A_table_on_one_side_only_is_reported()
    {
        var postgres = new SchemaModel([Runs, TableModel.Of("jobs", [new("id", TypeFamily.Text, false)])]);

        Assert.Equal(["table jobs: only on postgres"], SchemaComparer.Compare(Sqlite, postgres));
    }

    [Fact]
    public void Column_family_nullability_and_presence_are_reported()
    {
        var postgres = Drift(Runs with
        {
            Columns = [new("id", TypeFamily.Blob, false), new("agent_id", TypeFamily.Text, true), new("started_at", TypeFamily.Integer, false),
                       new("archived", TypeFamily.Integer, false), new("ended_at", TypeFamily.Integer, true)],
        });

        Assert.Equal(
        [
            "column runs.agent_id: sqlite text not null, postgres text null",
            "column runs.ended_at: only on postgres: integer null",
            "column runs.id: sqlite text not null, postgres blob not null",
        ], SchemaComparer.Compare(Sqlite, postgres));
    }

    [Fact]
    public void Only_an_integer_on_sqlite_stands_for_a_boolean_on_postgres()
    {
        var sqlite = new SchemaModel([Runs with { Columns = [new("archived", TypeFamily.Text, false)] }]);
        var postgres = new SchemaModel([Runs with { Columns = [new("archived", TypeFamily.Boolean, false)] }]);

        Assert.Equal(["column runs.archived: sqlite text not null, postgres boolean not null"], SchemaComparer.Compare(sqlite, postgres));
        Assert.NotEmpty(SchemaComparer.Compare(postgres, sqlite));
    }

    [Fact]
    public void Index_columns_order_direction_uniqueness_and_predicate_are_reported()
    {
        IndexModel[] drifted =
        [
            new("ix_runs_started", ["started_at desc", "agent_id"], false, false),
            new("ix_runs_a", ["agent_id"], true, false),
            new("ix_runs_b", ["agent_id"], false, true),
        ];
        var sqlite = new SchemaModel([Runs with { Indexes = [.. Runs.Indexes, new("ix_runs_a", ["agent_id"], false, false), new("ix_runs_b", ["agent_id"], false, false)] }]);

        Assert.Equal(
        [
            "index runs.ix_runs_a: sqlite (agent_id), postgres unique (agent_id)",
            "index runs.ix_runs_b: sqlite (agent_id), postgres (agent_id) where …",
            "index runs.ix_runs_started: sqlite (agent_id, started_at desc), postgres (started_at desc, agent_id)",
        ], SchemaComparer.Compare(sqlite, Drift(Runs with { Indexes = drifted })));
        Assert.Equal(["index runs.ix_runs_started: only on sqlite: (agent_id, started_at desc)"],
            SchemaComparer.Compare(Sqlite, Drift(Runs with { Indexes = [] })));
    }

    [Fact]
    public void Keys_and_constraints_are_reported()
    {
        var postgres = Drift(Runs with
        {
            PrimaryKey = ["id", "agent_id"],
            Uniques = [new(["started_at", "agent_id"])],
            ForeignKeys = [new(["agent_id"], "agents", ["id"], OnDelete: "CASCADE")],
            CheckConstraints = 1,
        });

        Assert.Equal(
        [
            "primary key runs: sqlite (id), postgres (id, agent_id)",
            "constraint runs unique (agent_id, started_at): only on sqlite",
            "constraint runs unique (started_at, agent_id): only on postgres",
            "foreign key runs (agent_id) references agents (id) on delete CASCADE on update NO ACTION: only on postgres",
            "foreign key runs (agent_id) references agents (id) on delete NO ACTION on update NO ACTION: only on sqlite",
            "check constraints runs: sqlite 0, postgres 1",
        ], SchemaComparer.Compare(Sqlite, postgres));
    }

    [Fact]
    public void The_report_lists_every_difference_on_its_own_line()
    {
        var report = SchemaComparer.Report(["table jobs: only on postgres", "column runs.id: sqlite text not null, postgres blob not null"]);

        Assert.Equal(3, report.Split(Environment.NewLine).Length);
        Assert.Contains("(2 differences)", report, StringComparison.Ordinal);
    }

    private static SchemaModel Drift(TableModel runs) => new([runs]);
}
