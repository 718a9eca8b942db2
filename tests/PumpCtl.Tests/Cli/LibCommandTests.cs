// `pumpctl lib list|set|clear` against the firmware itself (the virtual device in this process,
// through the same ISerialLine a serial port gives), and against scripted answers for the ERR
// lines a healthy virtual device cannot be made to give (an old firmware, a locked AUTH, a lost
// race, a storage failure). Every refusal is one line that says nothing changed, and the
// library is checked to be unchanged.
using System.Text.Json;
using PumpCtl.Bench;
using PumpCtl.Cli;
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class LibCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-lib-" + Guid.NewGuid().ToString("N"));
    private readonly Device _pump = new();

    public LibCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The virtual pump, opened as a port; it records what pumpctl wrote.</summary>
    private sealed class Device : ISerialLineOpener
    {
        private readonly VirtualBench _bench = new(new VirtualPumpOptions());

        public List<string> Written { get; } = new();

        public ISerialLine Open(string portName) => new Recording(_bench.PumpLine, Written);

        /// <summary>A request sent straight to the pump (not through pumpctl, not recorded).</summary>
        public DeviceReply Ask(string line) => new PumpClient(_bench.PumpLine).Request(line);

        private sealed class Recording(ISerialLine line, List<string> written) : ISerialLine
        {
            public string Name => "/dev/virtual";

            public void WriteLine(string text)
            {
                written.Add(text);
                line.WriteLine(text);
            }

            public string? ReadLine(TimeSpan timeout) => line.ReadLine(timeout);

            public void Dispose()
            {
            }
        }
    }

    private (int Exit, string Out, string Err) Lib(params string[] args) =>
        ConsoleCapture.Run(new[] { "lib" }.Concat(args).Concat(new[] { "--port", "/dev/virtual" }).ToArray(), _pump);

    private string LibraryNow() => string.Join("\n", _pump.Ask("LIB?").AsyncLines);

    [Fact]
    public void List_shows_the_compiled_in_entries_as_a_table_and_exports_the_pumps_values_as_CSV_and_JSON()
    {
        var (exit, output, err) = Lib("list");
        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Contains("drug library on /dev/virtual", output);
        foreach (string cell in new[] { "morphine", "DEFAULT", "20000.000", "15000.000", "baclofen", "2000.000", "ziconotide", "19.200", "2.400", "7.200", "CD86" })
        {
            Assert.Contains(cell, output);
        }
        Assert.Equal(new[] { "LIB?" }, _pump.Written);

        (exit, output, _) = Lib("list", "--csv", "-");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(
            "drug,source,max_conc_ug_ml,max_ug_day,max_step_ug_day,max_increases_7d,max_increase_7d_ug_day,drug_crc\r\n" +
            "morphine,DEFAULT,20000.000,15000.000,NONE,NONE,NONE,CD86\r\n" +
            "baclofen,DEFAULT,2000.000,NONE,NONE,NONE,NONE,E614\r\n" +
            "ziconotide,DEFAULT,100.000,19.200,2.400,3,7.200,39B3\r\n", output);

        string json = Path.Combine(_dir, "lib.json");
        (exit, _, err) = Lib("list", "ziconotide", "--json", json);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("1 entry written to " + json, err);
        JsonElement entry = JsonDocument.Parse(File.ReadAllText(json)).RootElement.EnumerateArray().Single();
        Assert.Equal("ziconotide", entry.GetProperty("drug").GetString());
        Assert.Equal(19.2m, entry.GetProperty("max_ug_day").GetDecimal());
        Assert.Equal(3, entry.GetProperty("max_increases_7d").GetInt32());
        Assert.Equal(0, entry.GetProperty("increases_7d").GetInt32());   // a drug named: its rises of the last 7 days too

        (exit, _, err) = Lib("list", "--json", json);
        Assert.Equal(ExitCodes.Usage, exit);                               // an existing file is kept...
        Assert.Contains("exists; choose another file or add --overwrite", err);
        (exit, _, _) = Lib("list", "--json", json, "--overwrite");        // ...unless asked
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(3, JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(File.ReadAllText(json)).RootElement[0].GetProperty("max_step_ug_day").ValueKind);
    }

    [Fact]
    public void Set_stores_the_whole_entry_with_the_PIN_shows_it_warns_of_every_limit_dropped_and_logs_out()
    {
        var (exit, output, err) = Lib("set", "morphine", "--max-ug-day", "10000", "--pin", "0000");
        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Contains("morphine: per-pump entry stored (it replaces the compiled-in entry)", output);
        Assert.Contains("PUMP", output);
        Assert.Contains("10000.000", output);
        // The compiled-in 20 mg/mL no longer limits: said, not hidden.
        Assert.Contains("warning: morphine's max_conc_ug_ml was 20000.000 (DEFAULT) and no longer limits", err);
        Assert.Equal(new[]
        {
            "LIB? morphine", "AUTH 0000",
            "LIB:SET drug=morphine max_conc_ug_ml=NONE max_ug_day=10000 max_step_ug_day=NONE max_increases_7d=NONE max_increase_7d_ug_day=NONE",
            "LIB? morphine", "LOGOUT",
        }, _pump.Written);
        Assert.Contains("drug=morphine source=PUMP max_conc_ug_ml=NONE max_ug_day=10000.000", LibraryNow());
        Assert.StartsWith("ERR 403", _pump.Ask("LIB:CLEAR morphine").Status);   // no session left open
    }

    [Fact]
    public void Set_with_keep_changes_only_the_limits_given()
    {
        var (exit, _, err) = Lib("set", "ziconotide", "--max-increases-7d", "1", "--keep");
        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Equal("", err);   // nothing dropped, no warning
        Assert.Contains("drug=ziconotide source=PUMP max_conc_ug_ml=100.000 max_ug_day=19.200 max_step_ug_day=2.400 max_increases_7d=1 " +
            "max_increase_7d_ug_day=7.200", LibraryNow());
    }

    [Fact]
    public void Clear_removes_the_per_pump_entry_and_shows_the_compiled_in_one_in_force_again()
    {
        Assert.Equal(ExitCodes.Ok, Lib("set", "baclofen", "--max-conc-ug-ml", "500").Exit);
        var (exit, output, err) = Lib("clear", "baclofen");
        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Contains("baclofen: per-pump entry removed; in force now: the compiled-in entry", output);
        Assert.Contains("drug=baclofen source=DEFAULT max_conc_ug_ml=2000.000", LibraryNow());
    }

    [Fact]
    public void Clear_of_a_drug_without_a_per_pump_entry_spends_no_PIN_attempt_and_changes_nothing()
    {
        string before = LibraryNow();
        var (exit, output, err) = Lib("clear", "morphine");
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("pumpctl lib clear: morphine has no per-pump entry to remove (in force: the compiled-in entry); nothing changed\n", err.Replace("\r\n", "\n"));
        Assert.Equal("", output);
        Assert.Equal(new[] { "LIB? morphine" }, _pump.Written);
        Assert.Equal(before, LibraryNow());
    }

    [Fact]
    public void A_wrong_PIN_is_one_line_with_the_attempts_left_and_never_shows_the_PIN()
    {
        string before = LibraryNow();
        var (exit, output, err) = Lib("set", "morphine", "--max-ug-day", "1", "--pin", "4321");
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("pumpctl lib set: the pump refused the PIN given with --pin; 4 attempt(s) left before AUTH locks for 900 s; nothing changed " +
            "(the pump answered 'ERR 403 wrong pin attempts_left=4' to 'AUTH ****')\n", err.Replace("\r\n", "\n"));
        Assert.DoesNotContain("4321", err + output);
        Assert.Equal(before, LibraryNow());
    }

    [Fact]
    public void A_ninth_per_pump_entry_is_refused_with_what_to_do_and_the_eight_stay()
    {
        foreach (string drug in new[] { "a", "b", "c", "d", "e", "f", "g", "h" })
        {
            Assert.Equal(ExitCodes.Ok, Lib("set", drug, "--max-ug-day", "1").Exit);
        }
        string before = LibraryNow();
        var (exit, _, err) = Lib("set", "i", "--max-ug-day", "1");
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.StartsWith("pumpctl lib set: the pump already holds the most per-pump entries it keeps (8); remove one with 'pumpctl lib clear <drug>'", err);
        Assert.Contains("(the pump answered 'ERR 422 entries=9 exceeds max_entries=8' to 'LIB:SET drug=i ", err);
        Assert.Equal(before, LibraryNow());
        Assert.StartsWith("ERR 403", _pump.Ask("LIB:CLEAR a").Status);   // logged out after the refusal too
    }

    [Fact]
    public void Set_without_a_limit_is_a_usage_error_that_sends_nothing()
    {
        var (exit, _, err) = Lib("set", "morphine");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("give at least one limit", err);
        Assert.Empty(_pump.Written);
    }

    /// <summary>(the answer that refuses, the line pumpctl prints must contain).</summary>
    public static TheoryData<string, string, string> Refusals => new()
    {
        { "LIB?", "ERR 400 unknown command", "this pump's firmware has no drug library (CAPS? lists DRUG_LIBRARY where it has one); nothing changed (the pump answered 'ERR 400 unknown command' to 'LIB? morphine')" },
        { "AUTH", "ERR 429 locked for_s=812", "AUTH is locked after too many wrong PINs for another 812 s; nothing changed. Wait, then give the right --pin" },
        { "LIB:CLEAR", "ERR 409 no per-pump entry for morphine", "morphine has no per-pump entry to remove" },
        { "LIB:CLEAR", "ERR 500 storage", "the pump could not store the change (storage failure; it rolled the change back and raised CRITICAL); nothing changed" },
        { "LIB:CLEAR", "ERR 403 auth required", "the session ended before LIB:CLEAR" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Every_ERR_is_explained_in_one_line_that_quotes_the_pump(string refused, string answer, string expected)
    {
        var pump = new ScriptedLine(line => line.StartsWith(refused, StringComparison.Ordinal) ? new[] { answer }
            : line.StartsWith("LIB? ", StringComparison.Ordinal) ? new[] { "OK drug=morphine source=PUMP max_conc_ug_ml=NONE max_ug_day=1.000 max_step_ug_day=NONE " +
                "max_increases_7d=NONE max_increase_7d_ug_day=NONE drug_crc=CD86 increases_7d=0 increase_7d_ug_day=0.000" }
            : new[] { "OK" });
        var (exit, output, err) = ConsoleCapture.Run(new[] { "lib", "clear", "morphine", "--port", "/dev/fake" }, pump);
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Equal("", output);
        string[] lines = err.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("pumpctl lib clear: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Contains($"the pump answered '{answer}'", lines[0]);
    }
}
