// The trumpet method on hand-made series whose answers are worked out by hand below.
// Unless stated, the set rate is r = 60 µL/h = 1 µL/min (1440 µL/day), Δt = 30 s,
// T2 = minutes 60 to 120, and the windows are the standard's 2, 5, 11, 19, 31 min.
using PumpCtl.Analysis;
using Xunit;

namespace PumpCtl.Tests.Analysis;

public class TrumpetAnalyzerTests
{
    private const double Tolerance = 1e-9;
    private static readonly TrumpetOptions Standard = new();

    /// <summary>Rows every <paramref name="stepS"/> s from 0 to <paramref name="endS"/>, volume from a closed form.</summary>
    private static List<LogSample> Series(Func<double, double> volumeAtSeconds, double stepS = 30, double endS = 150 * 60, double rateUlDay = 1440)
    {
        var rows = new List<LogSample>();
        for (double t = 0; t <= endS + 1e-9; t += stepS)
        {
            rows.Add(new LogSample(t, volumeAtSeconds(t), rateUlDay));
        }
        return rows;
    }

    private static void AssertWindows(TrumpetResult r, params (int P, double Max, double Min)[] expected)
    {
        Assert.Equal(expected.Select(e => e.P), r.Windows.Select(w => w.WindowMinutes));
        foreach (var (w, e) in r.Windows.Zip(expected))
        {
            Assert.True(Math.Abs(w.EpMaxPercent - e.Max) < 1e-6, $"P={e.P}: Ep(max) {w.EpMaxPercent} != {e.Max}");
            Assert.True(Math.Abs(w.EpMinPercent - e.Min) < 1e-6, $"P={e.P}: Ep(min) {w.EpMinPercent} != {e.Min}");
        }
    }

    [Fact]
    public void Constant_flow_at_the_set_rate_has_no_error_anywhere()
    {
        // V(t) = t/60 µL (1 µL/min): every window holds exactly P µL, so every Ej = 0 and A = 0.
        TrumpetResult r = TrumpetAnalyzer.Analyze(Series(t => t / 60.0), Standard);

        Assert.Equal(60.0, r.SetRateMicrolitersPerHour, Tolerance);
        Assert.Equal("log", r.SetRateOrigin);
        Assert.Equal(0.0, r.MeanErrorPercent, Tolerance);
        AssertWindows(r, (2, 0, 0), (5, 0, 0), (11, 0, 0), (19, 0, 0), (31, 0, 0));
        // m = (T2 − P)/Δt + 1 = (60 − P)·2 + 1.
        Assert.Equal(new[] { 117, 111, 99, 83, 59 }, r.Windows.Select(w => w.WindowCount));
        // Start-up: 240 intervals of 30 s in the first 120 min, each 0.5 µL = 60 µL/h.
        Assert.Equal(240, r.StartupFlowMicrolitersPerHour.Length);
        Assert.All(r.StartupFlowMicrolitersPerHour, q => Assert.Equal(60.0, q, 1e-6));
        Assert.Equal(0.5, r.StartupTimeMinutes[0], Tolerance);
        Assert.Equal(120.0, r.StartupTimeMinutes[^1], Tolerance);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(-3.0)]
    [InlineData(0.5)]
    public void Constant_flow_off_by_x_percent_has_x_percent_everywhere(double x)
    {
        // V(t) = (1 + x/100)·t/60: every window holds (1 + x/100)·P µL, so Ej = x for all j, and A = x.
        TrumpetResult r = TrumpetAnalyzer.Analyze(Series(t => (1 + x / 100) * t / 60.0), Standard);

        Assert.Equal(x, r.MeanErrorPercent, 1e-9);
        AssertWindows(r, (2, x, x), (5, x, x), (11, x, x), (19, x, x), (31, x, x));
        Assert.Equal(60 * (1 + x / 100), r.MeanFlowMicrolitersPerHour, 1e-9);
    }

    [Fact]
    public void A_step_to_120_percent_at_minute_90()
    {
        // Flow 1 µL/min until minute 90, then 1.2 µL/min.
        //   A: T2 holds 30 min at 1 and 30 min at 1.2 → 66 µL in 60 min → 1.1 µL/min → +10 %.
        //   P = 2, 5, 11, 19 (≤ 30): some window lies wholly before minute 90 (Ej = 0) and some
        //     wholly after (Ej = +20), so Ep(max) = 20, Ep(min) = 0.
        //   P = 31: every window straddles minute 90. Latest (min 89-120): 1·1 + 30·1.2 = 37 µL
        //     → Ep(max) = 100·(37/31 − 1) = 600/31 = 19.354839 %. Earliest (min 60-91):
        //     30·1 + 1·1.2 = 31.2 µL → Ep(min) = 100·(31.2/31 − 1) = 20/31 = 0.645161 %.
        static double V(double t) => t <= 5400 ? t / 60.0 : 90 + (t - 5400) * 1.2 / 60.0;

        TrumpetResult r = TrumpetAnalyzer.Analyze(Series(V), Standard);

        Assert.Equal(10.0, r.MeanErrorPercent, 1e-9);
        AssertWindows(r, (2, 20, 0), (5, 20, 0), (11, 20, 0), (19, 20, 0), (31, 600.0 / 31, 20.0 / 31));
    }

    [Fact]
    public void A_pulsatile_flow_computed_by_hand()
    {
        // A 4-minute cycle: 2 µL/min for 2 min ("on"), then nothing for 2 min; the mean is
        // 1 µL/min = r. A cycle starts at minute 0, so T2 (min 60-120) is exactly 15 cycles
        // → 60 µL in 60 min → A = 0.
        // Each window P is k whole cycles (4k µL, on target) plus a remainder of R = P − 4k
        // minutes whose volume is 2 × (time of the remainder spent "on"). Window starts fall
        // on every 30 s, so every phase of the cycle is tried:
        //   P = 2  (k=0, R=2): all on → 4 µL, all off → 0 µL;        Ej = (4−2)/2, (0−2)/2 = +100 %, −100 %
        //   P = 5  (k=1, R=1): 4+2 = 6 µL or 4+0 = 4 µL;              Ej = +1/5, −1/5   = ±20 %
        //   P = 11 (k=2, R=3): 3 min holds 2 or 1 min on → 12 or 10;  Ej = ±1/11        = ±9.090909 %
        //   P = 19 (k=4, R=3): 16+4 = 20 or 16+2 = 18 µL;             Ej = ±1/19        = ±5.263158 %
        //   P = 31 (k=7, R=3): 28+4 = 32 or 28+2 = 30 µL;             Ej = ±1/31        = ±3.225806 %
        static double V(double t)
        {
            double minutes = t / 60.0;
            double cycles = Math.Floor(minutes / 4);
            double phase = minutes - 4 * cycles;
            return 4 * cycles + 2 * Math.Min(phase, 2);
        }

        TrumpetResult r = TrumpetAnalyzer.Analyze(Series(V), Standard);

        Assert.Equal(0.0, r.MeanErrorPercent, 1e-9);
        AssertWindows(r, (2, 100, -100), (5, 20, -20), (11, 100.0 / 11, -100.0 / 11), (19, 100.0 / 19, -100.0 / 19), (31, 100.0 / 31, -100.0 / 31));
        // The start-up curve sees the pulses: 120 µL/h while on, 0 while off.
        Assert.Equal(120.0, r.StartupFlowMicrolitersPerHour[0], 1e-9);
        Assert.Equal(0.0, r.StartupFlowMicrolitersPerHour[4], 1e-9);
    }

    [Fact]
    public void Irregular_rows_are_resampled_onto_the_grid_by_interpolating_volume()
    {
        // Rows alternately 7 s and 13 s apart (never on the 30 s grid) of a +2 % linear flow:
        // linear interpolation of a linear volume is exact, so the answers are those of the
        // regular series.
        var rows = new List<LogSample>();
        double t = 0;
        for (int i = 0; t <= 150 * 60; i++)
        {
            rows.Add(new LogSample(t, 1.02 * t / 60.0, 1440));
            t += i % 2 == 0 ? 7 : 13;
        }

        TrumpetResult r = TrumpetAnalyzer.Analyze(rows, Standard);

        Assert.Equal(2.0, r.MeanErrorPercent, 1e-9);
        AssertWindows(r, (2, 2, 2), (5, 2, 2), (11, 2, 2), (19, 2, 2), (31, 2, 2));
        Assert.Equal(13.0, r.MaxGapSeconds, 1e-9);
    }

    [Fact]
    public void The_time_axis_starts_at_the_first_row_whatever_t_ms_it_has()
    {
        // A log started 1000 s after the pump booted: minute 0 is the first row.
        var rows = Series(t => t / 60.0).Select(s => s with { TimeSeconds = s.TimeSeconds + 1000 }).ToList();
        TrumpetResult r = TrumpetAnalyzer.Analyze(rows, Standard);
        Assert.Equal(0.0, r.MeanErrorPercent, 1e-9);
        Assert.Equal(150.0, r.LogSpanMinutes, 1e-9);
    }

    [Fact]
    public void A_given_set_rate_overrides_the_log()
    {
        // Flow 1 µL/min judged against 50 µL/h: A = 100·(60 − 50)/50 = +20 %, all Ej = +20 %.
        TrumpetResult r = TrumpetAnalyzer.Analyze(Series(t => t / 60.0), Standard with { SetRateMicrolitersPerHour = 50 });
        Assert.Equal("option", r.SetRateOrigin);
        Assert.Equal(20.0, r.MeanErrorPercent, 1e-9);
        AssertWindows(r, (2, 20, 20), (5, 20, 20), (11, 20, 20), (19, 20, 20), (31, 20, 20));
    }

    [Fact]
    public void Custom_dt_and_T2_for_slow_pumps()
    {
        // Δt = 60 s, T2 = minutes 120 to 240 at +1 %: m for P = 2 is (120 − 2)/1 + 1 = 119.
        var options = Standard with { DtSeconds = 60, T2StartMinutes = 120, T2Minutes = 120 };
        TrumpetResult r = TrumpetAnalyzer.Analyze(Series(t => 1.01 * t / 60.0, 60, 240 * 60), options);
        Assert.Equal(1.0, r.MeanErrorPercent, 1e-9);
        Assert.Equal(119, r.Windows[0].WindowCount);
        Assert.Equal(90, r.Windows[^1].WindowCount);
    }

    [Fact]
    public void A_log_too_short_for_T2_says_what_is_missing()
    {
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(Series(t => t / 60.0, endS: 45 * 60), Standard));
        Assert.StartsWith("T2 needs 60 min of samples from minute 60 (to minute 120); the log covers 0-45 min", e.Message);
    }

    [Fact]
    public void A_gap_longer_than_one_and_a_half_dt_is_refused_with_its_place()
    {
        List<LogSample> rows = Series(t => t / 60.0).Where(s => s.TimeSeconds is <= 4200 or >= 4320).ToList();
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(rows, Standard));
        Assert.Contains("gap of 120 s between minute 70 and 72", e.Message);
    }

    [Fact]
    public void Time_going_backwards_is_a_device_restart_and_is_refused()
    {
        List<LogSample> rows = Series(t => t / 60.0);
        rows[100] = rows[100] with { TimeSeconds = 5, FileLine = 102 };
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(rows, Standard));
        Assert.Contains("line 102", e.Message);
        Assert.Contains("restarted", e.Message);
    }

    [Fact]
    public void What_the_log_holds_after_the_analysed_span_is_ignored()
    {
        // 150 min of a constant flow, then a restart (t_ms from 0 again) with another rate:
        // the analysis uses minutes 0-120 only, so neither the restart nor the new rate matter.
        List<LogSample> rows = Series(t => t / 60.0);
        rows.AddRange(Series(t => 1000 + t / 30.0, endS: 9000, rateUlDay: 2880));
        TrumpetResult r = TrumpetAnalyzer.Analyze(rows, Standard);
        Assert.Equal(60.0, r.SetRateMicrolitersPerHour, 1e-9);
        Assert.Equal(0.0, r.MeanErrorPercent, 1e-9);
        Assert.Equal(241, r.SampleCount);
    }

    [Fact]
    public void A_rate_that_changes_within_T2_needs_an_explicit_set_rate()
    {
        List<LogSample> rows = Series(t => t / 60.0).Select(s => s.TimeSeconds > 5000 ? s with { RateMicrolitersPerDay = 2880 } : s).ToList();
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(rows, Standard));
        Assert.Contains("changes within T2 (from 1440 to 2880 µL/day)", e.Message);
        Assert.Contains("--rate-ul-h", e.Message);
        // ... and with one, it works.
        Assert.Equal(0.0, TrumpetAnalyzer.Analyze(rows, Standard with { SetRateMicrolitersPerHour = 60 }).MeanErrorPercent, 1e-9);
    }

    [Fact]
    public void A_zero_logged_rate_needs_an_explicit_set_rate()
    {
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(Series(t => t / 60.0, rateUlDay: 0), Standard));
        Assert.Contains("rate_ul_day is 0 within T2", e.Message);
    }

    [Theory]
    [InlineData(45, 60, 60, "does not divide the 2 min observation window")]
    [InlineData(30, 60, 20, "the 31 min observation window is longer than T2 (20 min)")]
    [InlineData(0, 60, 60, "--dt-s must be positive")]
    [InlineData(40, 1, 60, "must divide T2's start")]
    public void Parameters_that_do_not_fit_together_are_named(int dt, int t2Start, int t2, string expected)
    {
        var options = Standard with { DtSeconds = dt, T2StartMinutes = t2Start, T2Minutes = t2 };
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(Series(t => t / 60.0), options));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_empty_log_is_refused()
    {
        var e = Assert.Throws<AnalysisException>(() => TrumpetAnalyzer.Analyze(new List<LogSample>(), Standard));
        Assert.Contains("0 usable row(s)", e.Message);
    }
}
