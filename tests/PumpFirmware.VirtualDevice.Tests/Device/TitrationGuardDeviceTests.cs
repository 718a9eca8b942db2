using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>docs/DRUG-LIBRARY.md and PROTOCOL.md "Drug library and titration guard", through the protocol of a virtual
/// pump: LIB?, LIB:SET, LIB:CLEAR, the guard at PROG:REVIEW and PROG:COMMIT with the compiled-in ziconotide entry,
/// OVERRIDE=TITRATION and its log records, the order of checks, and what survives a power cycle.</summary>
public class TitrationGuardDeviceTests
{
    private const int Day = 86_400;

    /// <summary>A pump running ziconotide 25 µg/mL at <paramref name="dailyUg"/> µg/day (its first program).</summary>
    private static PumpBench Ziconotide(string dailyUg = "2.4")
    {
        var bench = new PumpBench();
        bench.Program("PROG:DRUG ziconotide 25", "PROG:LIMIT 24", "PROG:STEP 00:00 " + dailyUg);
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        return bench;
    }

    /// <summary>Stages the active program at a new daily dose; returns the REVIEW status line.</summary>
    private static string Stage(PumpBench bench, string dailyUg, string review = "PROG:REVIEW")
    {
        bench.Ok("AUTH 0000");
        bench.Ok("PROG:LOAD");
        bench.Ok("PROG:STEP 00:00 " + dailyUg);
        return bench.Status(review);
    }

    private static void Raise(PumpBench bench, string dailyUg)
    {
        string review = Stage(bench, dailyUg);
        Assert.StartsWith("OK crc=", review);
        bench.Ok("PROG:COMMIT " + review.Substring(7, 4));
    }

    [Fact]
    public void LIB_query_lists_the_compiled_in_entries_and_shows_one()
    {
        var bench = new PumpBench();
        var lines = bench.Send("LIB?");
        Assert.Equal(new[]
        {
            "!LIB drug=morphine source=DEFAULT max_conc_ug_ml=20000.000 max_ug_day=15000.000 max_step_ug_day=NONE max_increases_7d=NONE max_increase_7d_ug_day=NONE drug_crc=" + Crc("morphine"),
            "!LIB drug=baclofen source=DEFAULT max_conc_ug_ml=2000.000 max_ug_day=NONE max_step_ug_day=NONE max_increases_7d=NONE max_increase_7d_ug_day=NONE drug_crc=" + Crc("baclofen"),
            "!LIB drug=ziconotide source=DEFAULT max_conc_ug_ml=100.000 max_ug_day=19.200 max_step_ug_day=2.400 max_increases_7d=3 max_increase_7d_ug_day=7.200 drug_crc=" + Crc("ziconotide"),
            "OK count=3",
        }, lines);
        Assert.Equal("OK drug=ziconotide source=DEFAULT max_conc_ug_ml=100.000 max_ug_day=19.200 max_step_ug_day=2.400 max_increases_7d=3 max_increase_7d_ug_day=7.200 drug_crc="
            + Crc("ziconotide") + " increases_7d=0 increase_7d_ug_day=0.000", bench.Status("LIB? ziconotide"));
        Assert.Equal("OK drug=clonidine source=NONE increases_7d=0 increase_7d_ug_day=0.000", bench.Status("LIB? clonidine"));
        Assert.Equal("ERR 400 malformed name ([A-Za-z0-9_-]{1,16})", bench.Status("LIB? zic*notide"));
    }

    private static string Crc(string text) => PumpFirmware.Units.Crc16.ToHex(PumpFirmware.Units.Crc16.Compute(text));

    [Fact]
    public void LIB_SET_needs_a_session_checks_every_word_and_is_logged()
    {
        var bench = new PumpBench();
        Assert.Equal("ERR 403 auth required", bench.Status("LIB:SET drug=clonidine max_ug_day=600"));
        bench.Ok("AUTH 0000");
        Assert.StartsWith("ERR 400 wrong number of arguments: LIB:SET drug=<name>", bench.Status("LIB:SET"));
        Assert.StartsWith("ERR 400 malformed argument: speed=3", bench.Status("LIB:SET drug=clonidine speed=3"));
        Assert.Equal("ERR 400 malformed argument: drug=<name> is required", bench.Status("LIB:SET max_ug_day=600"));
        Assert.Equal("ERR 400 malformed number: max_ug_day (or NONE)", bench.Status("LIB:SET drug=clonidine max_ug_day=6e2"));
        Assert.Equal("ERR 400 malformed count: max_increases_7d (digits only, or NONE)", bench.Status("LIB:SET drug=clonidine max_increases_7d=2.5"));
        Assert.Equal("ERR 400 malformed argument: max_ug_day given twice", bench.Status("LIB:SET drug=clonidine max_ug_day=1 max_ug_day=2"));
        Assert.Equal("ERR 422 max_conc_ug_ml=100000.001 out of range 0.001..100000.000", bench.Status("LIB:SET drug=clonidine max_conc_ug_ml=100000.001"));
        Assert.Equal("ERR 422 max_increases_7d=101 out of range 0..100", bench.Status("LIB:SET drug=clonidine max_increases_7d=101"));
        Assert.Equal("OK count=3", bench.Status("LIB?"));                                  // nothing changed by any of them

        bench.Ok("LIB:SET drug=clonidine max_conc_ug_ml=1000 max_ug_day=600 max_step_ug_day=NONE");
        Assert.StartsWith("OK drug=clonidine source=PUMP max_conc_ug_ml=1000.000 max_ug_day=600.000 max_step_ug_day=NONE max_increases_7d=NONE",
            bench.Status("LIB? clonidine"));
        Assert.Equal("OK count=4", bench.Status("LIB?"));
        bench.Ok("LIB:CLEAR clonidine");
        Assert.Equal("ERR 409 no per-pump entry for clonidine", bench.Status("LIB:CLEAR clonidine"));
        var log = bench.Send("LOG? 0 100");
        Assert.Contains(log, l => l.Contains("type=LIBRARY action=SET drug_crc=" + Crc("clonidine") + " entries=1"));
        Assert.Contains(log, l => l.Contains("type=LIBRARY action=CLEAR drug_crc=" + Crc("clonidine") + " entries=0"));
    }

    [Fact]
    public void The_review_of_a_drug_without_an_entry_says_so_in_a_line_before_an_unchanged_status_line()
    {
        var bench = new PumpBench();
        bench.Ok("AUTH 0000");
        foreach (string l in new[] { "PROG:NEW", "PROG:DRUG clonidine 1000", "PROG:LIMIT 600", "PROG:STEP 00:00 500" }) bench.Ok(l);
        var lines = bench.Send("PROG:REVIEW");
        Assert.Equal(2, lines.Count);
        Assert.Equal("!LIB drug=clonidine entry=NONE", lines[0]);
        Assert.StartsWith("OK crc=", lines[1]);
        // The CRC still covers exactly everything after "crc=HHHH ".
        Assert.Equal(Crc(lines[1].Substring(12)), lines[1].Substring(7, 4));
        // A drug with an entry gets no such line.
        bench.Ok("PROG:DRUG baclofen 500");
        Assert.Single(bench.Send("PROG:REVIEW"));
    }

    [Fact]
    public void A_fourth_rise_in_a_week_is_refused_at_review_and_commit_and_changes_nothing()
    {
        var bench = Ziconotide();
        Raise(bench, "4.8");
        bench.Ok("SIM:ADVANCE " + Day);
        Raise(bench, "7.2");
        bench.Ok("SIM:ADVANCE " + Day);
        Raise(bench, "9.6");
        bench.Ok("SIM:ADVANCE " + Day);
        string active = bench.Status("PROG?");
        Assert.Equal("ERR 422 increases_7d=4 exceeds max_increases_7d=3 drug=ziconotide", Stage(bench, "12"));
        string overrideReview = bench.Status("PROG:REVIEW OVERRIDE=TITRATION");
        Assert.StartsWith("OK crc=", overrideReview);
        string crc = overrideReview.Substring(7, 4);
        Assert.Equal("ERR 422 increases_7d=4 exceeds max_increases_7d=3 drug=ziconotide", bench.Status("PROG:COMMIT " + crc));
        Assert.Equal(active, bench.Status("PROG?"));
        Assert.Equal("OK drug=ziconotide source=DEFAULT max_conc_ug_ml=100.000 max_ug_day=19.200 max_step_ug_day=2.400 max_increases_7d=3 max_increase_7d_ug_day=7.200 drug_crc="
            + Crc("ziconotide") + " increases_7d=3 increase_7d_ug_day=7.200", bench.Status("LIB? ziconotide"));

        // The override: needs the word (and the session every PROG: command needs), and is logged per limit.
        Assert.Equal("ERR 400 malformed argument (BRIDGE, OVERRIDE=TITRATION)", bench.Status("PROG:COMMIT " + crc + " OVERRIDE=ALL"));
        bench.Ok("LOGOUT");
        Assert.Equal("ERR 403 auth required", bench.Status("PROG:COMMIT " + crc + " OVERRIDE=TITRATION"));
        bench.Ok("AUTH 0000");
        Assert.Equal("OK crc=" + crc, bench.Status("PROG:COMMIT " + crc + " OVERRIDE=TITRATION"));
        var log = bench.Send("LOG? 0 100");
        Assert.Contains(log, l => l.EndsWith("type=TITRATION_OVERRIDE limit=max_increases_7d increases_7d=4 max_increases_7d=3"));
        Assert.Contains(log, l => l.EndsWith("type=TITRATION_OVERRIDE limit=max_increase_7d_ug_day increase_7d_ug_day=9.600 max_increase_7d_ug_day=7.200"));
        Assert.DoesNotContain(log, l => l.Contains("limit=max_step_ug_day"));
        Assert.Equal(12_000, PumpBench.Field(bench.Status("STATUS?"), "rate_ug_day"));
    }

    [Fact]
    public void A_rise_of_two_steps_is_refused_and_BRIDGE_and_the_override_word_come_in_either_order()
    {
        var bench = Ziconotide();
        Assert.Equal("ERR 422 increase_ug_day=4.800 exceeds max_step_ug_day=2.400 drug=ziconotide", Stage(bench, "7.2"));
        string crc = bench.Status("PROG:REVIEW OVERRIDE=TITRATION").Substring(7, 4);
        Assert.Equal("OK crc=" + crc, bench.Status("PROG:COMMIT " + crc + " OVERRIDE=TITRATION BRIDGE"));
        Assert.Contains(bench.Send("LOG? 0 100"), l => l.EndsWith("type=TITRATION_OVERRIDE limit=max_step_ug_day increase_ug_day=4.800 max_step_ug_day=2.400"));
    }

    [Fact]
    public void Order_of_checks_program_limits_then_the_library_hard_limits_then_titration()
    {
        var bench = Ziconotide();
        // The program's own limit (worst day above limit_ug_day) is named before the library's maximum.
        bench.Ok("AUTH 0000");
        bench.Ok("PROG:LOAD");
        bench.Ok("PROG:STEP 00:00 30");
        Assert.Equal("ERR 422 worst_day_ug=30.000 exceeds limit_ug_day=24.000", bench.Status("PROG:REVIEW"));
        // Within the program's limit, the library's hard maximum comes before the step, and no word overrides it.
        bench.Ok("PROG:STEP 00:00 21.6");
        Assert.Equal("ERR 422 worst_day_ug=21.600 exceeds max_ug_day=19.200 drug=ziconotide", bench.Status("PROG:REVIEW"));
        Assert.Equal("ERR 422 worst_day_ug=21.600 exceeds max_ug_day=19.200 drug=ziconotide", bench.Status("PROG:REVIEW OVERRIDE=TITRATION"));
        bench.Ok("PROG:STEP 00:00 2.4");
        bench.Ok("PROG:DRUG ziconotide 200");
        Assert.Equal("ERR 422 conc_ug_ml=200.000 exceeds max_conc_ug_ml=100.000 drug=ziconotide", bench.Status("PROG:REVIEW"));
    }

    [Fact]
    public void A_bridge_in_progress_is_named_before_the_library()
    {
        var bench = new PumpBench();
        bench.Program("PROG:DRUG ziconotide 25", "PROG:LIMIT 24", "PROG:STEP 00:00 2.4", "PROG:CATHETER 150");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        bench.Ok("PROG:DRUG ziconotide 50");
        string crc = bench.Status("PROG:REVIEW").Substring(7, 4);
        bench.Ok("PROG:COMMIT " + crc + " BRIDGE");
        Assert.Equal("BRIDGE", PumpBench.Word(bench.Status("STATUS?"), "bolus"));
        bench.Ok("PROG:DRUG ziconotide 200");                               // a new concentration, above the library's too
        bench.Ok("PROG:STEP 00:00 19.2");
        string review = bench.Status("PROG:REVIEW");
        Assert.Equal("ERR 422 conc_ug_ml=200.000 exceeds max_conc_ug_ml=100.000 drug=ziconotide", review);
        string mismatch = bench.Status("PROG:COMMIT 0000");                  // the staged program's crc, to commit it
        string staged = PumpBench.Word(mismatch, "staged_crc");
        Assert.Equal("ERR 409 bridge in progress", bench.Status("PROG:COMMIT " + staged));
    }

    [Fact]
    public void The_history_and_the_per_pump_entries_survive_a_power_cycle()
    {
        var bench = Ziconotide();
        bench.Ok("AUTH 0000");
        bench.Ok("LIB:SET drug=ziconotide max_conc_ug_ml=100 max_ug_day=19.2 max_step_ug_day=2.4 max_increases_7d=2 max_increase_7d_ug_day=4.8");
        Raise(bench, "4.8");
        Raise(bench, "7.2");
        bench.Ok("SIM:POWERCYCLE 3600");
        Assert.StartsWith("OK drug=ziconotide source=PUMP", bench.Status("LIB? ziconotide"));
        Assert.Equal("ERR 422 increases_7d=3 exceeds max_increases_7d=2 drug=ziconotide", Stage(bench, "9.6"));
        // Seven days after the rises (the hour off counted), they no longer count.
        bench.Ok("SIM:ADVANCE " + (7 * Day - 3600));
        Assert.StartsWith("OK crc=", Stage(bench, "9.6"));
    }
}
