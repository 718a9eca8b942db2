using PumpFirmware.VirtualDevice.Scenarios;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Scenarios;

/// <summary>
/// The scenario language (docs/VIRTUAL-DEVICE.md), feature by feature: each expectation passes
/// when the device does what it says and fails with expected and actual when it does not; an
/// ERR no line expects fails the run; times go forward; a malformed file is refused with its
/// line and column; includes, parameters and repeat blocks unroll to the actions they stand for.
/// </summary>
public class ScenarioLanguageTests
{
    // 240 ug/day of 500 ug/mL: 480 uL/day, 20 uL/h, 0.015625 uL a step.
    private const string Pump = """
        telemetry off
        program
        PROG:DRUG baclofen 500
        PROG:LIMIT 400
        PROG:STEP 00:00 240
        PROG:PTM 25 10 240 3
        PROG:RESERVOIR 20000 100
        end
        at 0 refill 20000
        at 0 start
        """;

    private static ScenarioResult Run(string body, string duration = "2h")
    {
        Scenario s = Scenario.Parse("duration " + duration + "\n" + Pump + "\n" + body, "t.scn");
        return new ScenarioRunner(s, null, null).Run();
    }

    private static void Passes(string body, string duration = "2h")
    {
        ScenarioResult r = Run(body, duration);
        Assert.True(r.Failures.Count == 0, string.Join("\n", r.Failures));
    }

    private static string FailsWith(string body, string duration = "2h")
    {
        ScenarioResult r = Run(body, duration);
        return Assert.Single(r.Failures);
    }

    private static ScenarioFormatException Malformed(string text) =>
        Assert.Throws<ScenarioFormatException>(() => Scenario.Parse(text, "bad.scn"));

    // --- expectations on the reply -------------------------------------------------------------

    [Fact]
    public void A_program_block_with_override_reviews_and_commits_with_OVERRIDE_TITRATION()
    {
        // The ziconotide entry (docs/DRUG-LIBRARY.md): a rise of 4.8 ug/day is refused unless overridden.
        const string zic = "at 1h program\nPROG:NEW\nPROG:DRUG ziconotide 25\nPROG:LIMIT 24\nPROG:STEP 00:00 2.4\nend\nexpect OK\n";
        Passes(zic + "at 2h program\nPROG:LOAD\nPROG:STEP 00:00 7.2\nend\nexpect ERR 422 increase_ug_day=4.800");
        Passes(zic + "at 2h program override\nPROG:LOAD\nPROG:STEP 00:00 7.2\nend\nexpect OK\nat 2h1m status rate_ug_day = 7.2", "3h");
    }

    [Fact]
    public void A_reply_prefix_holds_or_names_what_came()
    {
        Passes("at 1h ptm\nexpect OK dose_ug=25.000");
        string f = FailsWith("at 1h ptm\nexpect OK dose_ug=30");
        Assert.Equal("t.scn:13: expected a reply starting 'OK dose_ug=30', got 'OK dose_ug=25.000 next_allowed_s=14400' (the reply to t.scn:12)", f);
    }

    [Fact]
    public void A_field_is_compared_exactly_to_the_nanolitre_or_within_a_tolerance_with_units()
    {
        Passes("at 1h status delivered_ul = 20");
        Passes("at 1h status delivered_ul = 20.000");
        Passes("at 1h30m status delivered_ul = 30.01 ± 0.016");
        Passes("at 1h30m status delivered_ul = 30.01 ± 16 nl");
        Passes("at 1h30m status delivered_ul = 0.03001 ml ± 10 nl");
        Passes("at 1h status delivered_ul = 20.1 ± 0.5 %");
        Passes("at 1h status steps = 1280");
        Passes("at 1h status t_ms = 1h");
        Assert.Equal("t.scn:12: expected delivered_ul = 20.001, actual 20.000 (off by -0.001)", FailsWith("at 1h status delivered_ul = 20.001"));
        Assert.Equal("t.scn:12: expected delivered_ul = 30.1 ± 16 nl, actual 30.000 (off by -0.100)", FailsWith("at 1h30m status delivered_ul = 30.1 ± 16 nl"));
        Assert.Contains("expected steps != 1280, actual 1280", FailsWith("at 1h status steps != 1280"));
    }

    [Fact]
    public void Comparisons_words_and_sets()
    {
        Passes("at 1h status delivered_ul > 19.9\nexpect delivered_ul < 20.1\nexpect reservoir_ul >= 19980\nexpect reservoir_ul <= 19980");
        Passes("at 1h status state = RUNNING\nexpect bolus != PTM\nexpect alarms = NONE\nexpect alarms lacks STALL");
        Passes("at 1h fault LOW_BATTERY\nat 1h1m fault OCCLUSION\nat 1h2m status alarms contains OCCLUSION,LOW_BATTERY\nexpect alarms = OCCLUSION,LOW_BATTERY");
        Assert.Equal("t.scn:12: expected state = STOPPED, actual state=RUNNING", FailsWith("at 1h status state = STOPPED"));
        Assert.Equal("t.scn:12: expected alarms contains STALL, actual alarms=NONE", FailsWith("at 1h status alarms contains STALL"));
        Assert.Contains("there is no nonsense_ul= in 'OK state=RUNNING", FailsWith("at 1h status nonsense_ul = 1"));
    }

    [Fact]
    public void The_balance_and_the_plant_can_be_checked()
    {
        // 20 uL of water weighs 19.96 mg at 0.998 g/mL.
        Passes("at 1h expect mass_g = 0.02 ± 0.0001\nat 1h expect mass_g = 19.96 mg ± 0.1 mg\nat 1h expect plant_ul = 20");
        Assert.Equal("t.scn:12: expected mass_g = 0.03, actual 0.0200 (off by -0.0100)", FailsWith("at 1h expect mass_g = 0.03"));
    }

    // --- errors are results ------------------------------------------------------------------

    [Fact]
    public void An_unexpected_err_fails_the_scenario_and_an_expected_one_is_not_an_error()
    {
        ScenarioResult typo = Run("at 1h send STATUS");
        Assert.Equal("t.scn:12: unexpected 'ERR 400 unknown command' (if it is meant, write 'expect ERR 400' on the next line)", Assert.Single(typo.Failures));
        Assert.Equal(1, typo.Errors);

        ScenarioResult meant = Run("at 1h ptm\nat 2h ptm\nexpect ERR 423");
        Assert.Empty(meant.Failures);
        Assert.Equal(0, meant.Errors);
        Assert.Equal(1, meant.ExpectedErrors);

        ScenarioResult counted = Run("errors count\nat 1h send STATUS");
        Assert.Empty(counted.Failures);
        Assert.Equal(1, counted.Errors);
    }

    [Fact]
    public void An_expected_err_that_does_not_come_fails()
    {
        Assert.Equal("t.scn:13: expected a reply starting 'ERR 423', got 'OK dose_ug=25.000 next_allowed_s=14400' (the reply to t.scn:12)",
            FailsWith("at 1h ptm\nexpect ERR 423"));
    }

    // --- ! events in windows -----------------------------------------------------------------

    [Fact]
    public void An_event_must_come_within_its_time_or_step_window()
    {
        Passes("at 1h fault OCCLUSION\nexpect !ALARM code=OCCLUSION state=RAISED within 1s");
        Passes("at 1h fault STALL\nexpect !ALARM code=STALL state=RAISED within 16 steps");
        Passes("at 1h fault STALL\nexpect !ALARM code=STALL within 1h");
        string late = FailsWith("at 1h fault LOW_BATTERY\nexpect !ALARM code=OCCLUSION within 10m");
        Assert.StartsWith("t.scn:13: expected !ALARM code=OCCLUSION within 10m: none came (window opened at 0d01:00:00.000; the last !ALARM was '!ALARM code=LOW_BATTERY state=RAISED", late);
        string never = FailsWith("at 1h status\nexpect !BOOT");
        Assert.StartsWith("t.scn:13: expected !BOOT: the scenario ended first", never);
    }

    [Fact]
    public void An_event_that_must_not_come_fails_when_it_comes_inside_its_window_only()
    {
        Passes("at 1h fault OCCLUSION\nexpect no !ALARM code=STALL within 30m");
        Passes("at 1h status\nexpect no !ALARM code=LOW_BATTERY within 10m\nat 1h20m fault LOW_BATTERY");
        Assert.Equal("t.scn:13: expected no !ALARM code=OCCLUSION within 1m, got '!ALARM code=OCCLUSION state=RAISED t_ms=3600000' at 0d01:00:00.000",
            FailsWith("at 1h fault OCCLUSION\nexpect no !ALARM code=OCCLUSION within 1m"));
    }

    // --- the golden trace --------------------------------------------------------------------

    [Fact]
    public void A_golden_trace_is_reproduced_line_for_line_or_the_first_difference_is_shown()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pf-golden-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "g.scn");
            File.WriteAllText(file, "duration 1h\ngolden g.trace.txt\n" + Pump + "\nat 30m status\n");
            var write = new ScenarioRunner(Scenario.Load(file), null, null) { UpdateGolden = true }.Run();
            Assert.Empty(write.Failures);
            Assert.Empty(new ScenarioRunner(Scenario.Load(file), null, null) { UpdateGolden = false }.Run().Failures);

            string trace = File.ReadAllText(Path.Combine(dir, "g.trace.txt"));
            File.WriteAllText(Path.Combine(dir, "g.trace.txt"), trace.Replace("> STATUS?", "> STATUS!"));
            var diff = new ScenarioRunner(Scenario.Load(file), null, null) { UpdateGolden = false }.Run();
            string f = Assert.Single(diff.Failures);
            Assert.Contains("golden g.trace.txt line", f);
            Assert.Contains("expected: 0d00:30:00.000 > STATUS!", f);
            Assert.Contains("actual:   0d00:30:00.000 > STATUS?", f);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // --- order and malformed files -----------------------------------------------------------

    [Fact]
    public void Times_that_go_backwards_are_an_error_with_line_and_column_never_re_sorted()
    {
        var e = Malformed("at 2h ptm\nat 1h status\n");
        Assert.Equal(2, e.Line);
        Assert.Equal(4, e.Column);
        Assert.StartsWith("bad.scn:2:4: this time (0d01:00:00.000 after the start) is before the previous action's (0d02:00:00.000, bad.scn:1)", e.Message);
        Assert.Contains("\n  at 1h status\n     ^", e.Message);
        Malformed("start 1767225600\nat d1@10:00 ptm\nat 9h ptm\n");
        Assert.Equal(2, Scenario.Parse("at 1h ptm\nat 1h status").Actions.Count); // one instant: file order
    }

    [Theory]
    [InlineData("nonsense 1", 1, 1, "unknown directive 'nonsense'")]
    [InlineData("duration 1d\n  at 2h fly", 2, 9, "unknown action 'fly'")]
    [InlineData("at 2x ptm", 1, 4, "'2x' is not a time")]
    [InlineData("program\nPROG:DRUG a 1\n", 1, 1, "program block without end (it starts on this line)")]
    [InlineData("program\nPROG:DRUG a 1\nat 1h ptm\nend", 3, 1, "only PROG: lines belong in a program block (the block opened on line 1 needs its end first)")]
    [InlineData("end", 1, 1, "'end' without a block to close")]
    [InlineData("repeat 3\nat +1h ptm\n", 1, 1, "repeat block without end")]
    [InlineData("repeat 0\nend", 1, 8, "repeat needs a count 1..200000")]
    [InlineData("at 1h status delivered_ul = 3 ug", 1, 29, "'ug' is a mass, but delivered_ul is a volume (in ul)")]
    [InlineData("at 1h status steps = 3 ul", 1, 22, "steps has no unit in its name")]
    [InlineData("at 1h status delivered_ul = 3 ± x", 1, 33, "'x' is not a tolerance")]
    [InlineData("at 1h status delivered_ul < 3 ± 1", 1, 31, "a tolerance goes with = or != only")]
    [InlineData("at 1h ptm\nexpect !ALARM code within 1s", 2, 15, "'code' is not key=value")]
    [InlineData("at 1h ptm\nexpect !ALARM within 1 minute", 2, 22, "within takes a duration")]
    [InlineData("expect OK", 1, 1, "an expect line without 'at' checks the action before it, and there is none yet")]
    [InlineData("at 1h send ${rate}", 1, 12, "unknown name 'rate'")]
    [InlineData("param rate = x\nat 1h send ${rate * 2}", 2, 12, "'rate' is 'x', not a number")]
    [InlineData("include nowhere.inc", 1, 9, "no such file to include")]
    [InlineData("at 1h cut 0", 1, 11, "the storage write's number from now (1 = the next): an integer 1..1000000")]
    [InlineData("at 1h flip C 1 1", 1, 12, "flip names the stored copy: A, B or JOURNAL")]
    [InlineData("at 1h rtc jump 2h", 1, 16, "rtc jump needs a signed duration")]
    [InlineData("duration 1h\nat 2h ptm", 2, 4, "action after the end of the scenario")]
    [InlineData("at 1h program bridge twice\nPROG:LOAD\nend", 1, 15, "program takes nothing, 'bridge' and/or 'override'")]
    [InlineData("at 1h program override override\nPROG:LOAD\nend", 1, 15, "program takes nothing, 'bridge' and/or 'override'")]
    public void A_malformed_file_is_refused_with_its_line_and_column(string text, int line, int column, string why)
    {
        var e = Malformed(text);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(why, e.Why);
        Assert.StartsWith($"bad.scn:{line}:{column}: ", e.Message);
    }

    // --- structure: include, parameters, repeat ----------------------------------------------

    [Fact]
    public void Parameters_have_defaults_the_first_definition_wins_and_set_overrides_both()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pf-inc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "common"));
        try
        {
            File.WriteAllText(Path.Combine(dir, "common", "setup.inc"), "param rate = 240\nparam name = inc\nname ${name}-${rate}\nat 0 send TEL ${rate / 24}\n");
            File.WriteAllText(Path.Combine(dir, "a.scn"), "param rate = 480\ninclude common/setup.inc\n");
            Scenario plain = Scenario.Load(Path.Combine(dir, "a.scn"));
            Assert.Equal("inc-480", plain.Name);
            Assert.Equal("TEL 20", plain.Actions.Single().Argument);
            Scenario set = Scenario.Load(Path.Combine(dir, "a.scn"), new Dictionary<string, string> { ["rate"] = "72" });
            Assert.Equal("inc-72", set.Name);
            Assert.Equal("TEL 3", set.Actions.Single().Argument);
            Assert.Equal("72", set.Parameters["rate"]);
            var unknown = Assert.Throws<FormatException>(() => Scenario.Load(Path.Combine(dir, "a.scn"), new Dictionary<string, string> { ["speed"] = "1" }));
            Assert.Contains("has no parameter 'speed' (its parameters: rate, name)", unknown.Message);

            File.WriteAllText(Path.Combine(dir, "loop.inc"), "include loop.inc\n");
            var loop = Assert.Throws<ScenarioFormatException>(() => Scenario.Load(Path.Combine(dir, "loop.inc")));
            Assert.Contains("includes itself", loop.Why);
            File.WriteAllText(Path.Combine(dir, "broken.inc"), "at 1h fly\n");
            File.WriteAllText(Path.Combine(dir, "b.scn"), "\ninclude broken.inc\n");
            var inner = Assert.Throws<ScenarioFormatException>(() => Scenario.Load(Path.Combine(dir, "b.scn")));
            Assert.Equal(1, inner.Line);
            Assert.Contains("(included from " + Path.Combine(dir, "b.scn") + ":2)", inner.Why);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_repeat_block_unrolls_with_its_counter_and_relative_times()
    {
        Scenario s = Scenario.Parse("""
            duration 30d
            repeat 3 as day
            at d${day}@09:00 send PROG:STEP 00:00 ${100 + day * 5}
            at +1m status
            repeat 2
            at +1h ptm
            end
            end
            """);
        Assert.Equal(12, s.Actions.Count);
        Assert.Equal("PROG:STEP 00:00 115", s.Actions[8].Argument);
        Assert.Equal((2L * 86_400 + 9 * 3600) * 1_000_000, s.Actions[8].AtMicros);
        Assert.Equal((2L * 86_400 + 11 * 3600 + 60) * 1_000_000, s.Actions[11].AtMicros);
        Assert.EndsWith(" [day=3]", s.Actions[8].Location);
        Assert.EndsWith(" [day=3] [repeat 2]", s.Actions[11].Location);

        var e = Malformed("repeat 2 as i\nat ${3 - i}h ptm\nend");
        Assert.Equal(2, e.Line);
        Assert.Contains("(in [i=2])", e.Why);
    }

    [Fact]
    public void A_program_action_reprograms_and_a_refused_line_is_its_reply()
    {
        Passes("""
            at 1h program
            PROG:LOAD
            PROG:STEP 00:00 300
            end
            expect OK
            at 1h status rate_ug_day = 300
            """);
        string f = FailsWith("at 1h program\nPROG:LOAD\nPROG:STEP 00:00 x\nend");
        Assert.StartsWith("t.scn:12: unexpected 'ERR 400 malformed number", f);
        Assert.EndsWith("(if it is meant, write 'expect ERR 400' on the next line)", f);
    }
}
