using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>STATUS? <c>empty_in_s</c> (PROTOCOL.md "Decisions"): assuming nothing changes, the schedule by time of
/// day (a bridge first, at the old program's volume rate) plus the rest of a running bolus, or the minimum rate when
/// SUSPENDED; -1 when STOPPED, in ALARM or when the rate stays 0. Never later than the exact empty time: seconds,
/// rounded down. Every expected value is
/// reservoir / rate worked by hand; the drug is 1 mg/mL (1 ng = 1 nL) unless said otherwise, so rates in
/// ng/day are also nL/day. The wall clock is never set: time of day is timeline time.</summary>
public class EmptyInSecondsTests
{
    /// <summary>1 mg/mL, one step of the schedule per (minute, ng/day).</summary>
    private static Prescription OneMgPerMl(long limitNg, params (int Minute, long RateNg)[] steps)
    {
        var p = Program("one", 1_000_000, limitNg, steps);
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        return p;
    }

    [Theory]
    [InlineData(1_000, 7_000, 12_342)]     // 1000 / 7000 x 86400 = 12342.86 s: rounded down, never late
    [InlineData(7_000, 7_000, 86_400)]     // exactly one day: not rounded
    [InlineData(1, 1_000_000, 0)]          // 0.0864 s: rounded down to 0
    public void Suspended_the_minimum_rate_empties_the_reservoir(long reservoirNl, long minRateNlPerDay, long expected)
    {
        var rig = new Rig();
        var p = OneMgPerMl(10_000_000, (0, 1_440));
        Check(p.SetMinRate(minRateNlPerDay));
        rig.Begin(p, reservoirNl);
        rig.Ok(rig.C.Stop(0));
        Assert.Equal(TherapyState.Suspended, rig.C.State);
        Assert.Equal(expected, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void An_empty_reservoir_is_empty_now_whatever_the_rate()
    {
        // Nothing left: 0 s, also where the rate is 0 (the -1 "never" is for a reservoir that has something left).
        var running = new Rig();
        running.Begin(OneMgPerMl(1_000, (0, 0)), 0);
        Assert.Equal(0, running.C.EmptyInSeconds(0));
        var suspended = new Rig();
        suspended.Begin(OneMgPerMl(10_000, (0, 1_440)), 0);   // no minimum rate either
        suspended.Ok(suspended.C.Stop(0));
        Assert.Equal(0, suspended.C.EmptyInSeconds(0));
        Assert.Equal(-1, new Rig().C.EmptyInSeconds(0));           // STOPPED without a program
    }

    [Fact]
    public void A_running_schedule_of_rate_0_never_empties()
    {
        var rig = new Rig();
        rig.Begin(OneMgPerMl(1_000, (0, 0), (12 * 60, 0)), 1_000);
        Assert.Equal(-1, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void At_a_step_change_the_forecast_ends_inside_or_after_the_segment()
    {
        // From 00:00:30, 1 nL/min until 00:10 (9.5 min: 9.5 nL), then nothing until 00:00 the next day.
        long now = 30 * Second;
        foreach (var (reservoir, expected) in new[]
                 {
                     (9L, 9 * 60L),                      // 9 nL at 1 nL/min: 9 minutes, inside the segment
                     (10L, 86_400L),                     // 9.5 nL by 00:10, the last 0.5 nL at 00:00:30 next day
                 })
        {
            var rig = new Rig(start: now);
            rig.Begin(OneMgPerMl(10_000, (0, 1_440), (10, 0)), reservoir);
            Assert.Equal(expected, rig.C.EmptyInSeconds(now));
        }
    }

    [Fact]
    public void A_clinician_bolus_runs_only_until_its_end()
    {
        // 1 nL/min basal + 60 ng over 60 min (1 nL/min more): 120 nL in the first hour, then 80 nL at 1 nL/min.
        var rig = new Rig();
        rig.Begin(OneMgPerMl(10_000, (0, 1_440)), 200);
        rig.Ok(rig.C.StartClinicianBolus(60, 60, 0));
        Assert.Equal((60 + 80) * 60, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void A_ptm_bolus_runs_only_until_its_end()
    {
        var rig = new Rig();
        var p = OneMgPerMl(10_000, (0, 1_440));
        Check(p.SetPtm(60, 60, 60, 1));
        rig.Begin(p, 200);
        Assert.True(rig.C.RequestPatientBolus(0).IsOk);
        Assert.Equal((60 + 80) * 60, rig.C.EmptyInSeconds(0));
    }

    /// <summary>Old program 1 mg/mL at 1440 ng/day = 1440 nL/day (1 nL/min); the new one 2 mg/mL at 5760 ng/day =
    /// 2880 nL/day (2 nL/min), committed with BRIDGE at 00:00 with the given catheter volume.</summary>
    private static Rig Bridging(long catheterNl, long reservoirNl)
    {
        var rig = new Rig();
        rig.Begin(OneMgPerMl(100_000, (0, 1_440)), reservoirNl);
        var second = Program("two", 2_000_000, 100_000, (0, 5_760));
        Check(second.SetReservoir(Prescription.MaxCapacityNl, 0));
        Check(second.SetCatheter(catheterNl));
        rig.Ok(rig.C.Commit(second, true, 0));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        return rig;
    }

    [Theory]
    [InlineData(600, 3_000, (600 + 1_200) * 60)]         // bridge 600 min at 1 nL/min, then 2400 nL at 2 nL/min
    [InlineData(600, 600, 600 * 60)]                     // the reservoir ends with the bridge
    [InlineData(600, 300, 300 * 60)]                     // the reservoir ends inside the bridge, at the old rate
    [InlineData(2_000, 5_000, (2_000 + 1_500) * 60)]     // a bridge longer than a day (1440 nL), then 1500 min
    [InlineData(2_000, 100_000, (2_000 + 49_000) * 60)]  // the same, then 35 days: days are skipped, exactly
    [InlineData(10_000, 8_000, 8_000 * 60)]              // 5.5 days, all inside the bridge: all at the old rate
    public void A_bridge_comes_first_at_the_old_volume_rate(long catheterNl, long reservoirNl, long expected)
    {
        var rig = Bridging(catheterNl, reservoirNl);
        Assert.Equal(expected, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void A_bridge_at_an_old_rate_of_0_never_ends_so_the_reservoir_never_empties()
    {
        var rig = new Rig();
        rig.Begin(OneMgPerMl(100_000, (0, 0)), 1_000_000);
        var second = Program("two", 2_000_000, 100_000, (0, 5_760));
        Check(second.SetCatheter(100));
        rig.Ok(rig.C.Commit(second, true, 0));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(-1, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void A_bridge_lasting_40_days_of_a_12_step_schedule_is_forecast_not_given_up()
    {
        // Old program: 12 steps of 2 h at 1200 (i+1) nL/day, 7800 nL a day; catheter 40 days of it = 312000 nL.
        // Then the new one: 2 mg/mL at 5760 ng/day = 2880 nL/day. Reservoir 1 mL: 40 days of bridge, then
        // 688000 nL / 2880 nL/day = 238 days 21 h 20 min. (Walking the bridge segment by segment takes 480 segments.)
        var steps = Enumerable.Range(0, 12).Select(i => (i * 120, 1_200L * (i + 1))).ToArray();
        var rig = new Rig();
        rig.Begin(OneMgPerMl(100_000, steps), 1_000_000);
        var second = Program("two", 2_000_000, 100_000, (0, 5_760));
        Check(second.SetReservoir(Prescription.MaxCapacityNl, 0));
        Check(second.SetCatheter(40 * 7_800));
        rig.Ok(rig.C.Commit(second, true, 0));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal((40 + 238) * 86_400 + 21 * 3_600 + 20 * 60, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void Twelve_steps_for_500_days_are_forecast_exactly()
    {
        // Step i (every 2 h) at 1200 (i+1) nL/day: 100 (i+1) nL in its 2 h; 7800 nL a day.
        // 500 days and 50 nL: 500 days, then 50 nL of the 00:00 step's 100 nL in 2 h = 1 h.
        var steps = Enumerable.Range(0, 12).Select(i => (i * 120, 1_200L * (i + 1))).ToArray();
        var rig = new Rig();
        rig.Begin(OneMgPerMl(10_000, steps), 500 * 7_800 + 50);
        Assert.Equal(500 * 86_400 + 3_600, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void A_schedule_that_wraps_at_midnight_for_300_days_is_forecast_exactly()
    {
        // 06:00-18:00 at 2000 nL/day (1000 nL), 18:00-06:00 at 4000 nL/day (2000 nL): 3000 nL a day.
        // From 00:00: 6 h of the 18:00 step (1000 nL), 300 days (900000 nL), then 500 nL at 2000 nL/day (6 h).
        var rig = new Rig();
        rig.Begin(OneMgPerMl(10_000, (6 * 60, 2_000), (18 * 60, 4_000)), 1_000 + 900_000 + 500);
        Assert.Equal(300 * 86_400 + 12 * 3_600, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void A_rate_that_is_not_a_whole_nanolitre_per_day_is_not_rounded_late()
    {
        // 7 ug/mL at 0.010 ug/day is 1428.571... nL/day. 1 uL lasts 0.001 mL x 7000 ng/mL / 10 ng/day = 0.7 days
        // = 60480 s exactly. A rate rounded down to 1428 nL/day forecast 60505 s: 25 s late.
        var rig = new Rig();
        var p = Program("seven", 7_000, 20_000, (0, 10));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        rig.Begin(p, 1_000);
        Assert.Equal(60_480, rig.C.EmptyInSeconds(0));
    }

    [Fact]
    public void The_forecast_is_never_later_than_the_exact_empty_time_of_any_flex_program()
    {
        // An independent exact model (fractions, segment by segment) of the integral of the programmed volume rate,
        // against 400 random flex programs with awkward concentrations, start times and reservoirs that last up to
        // 40 days. The forecast must never be late, and must not be early by more than a few seconds.
        var random = new Random(20261205);
        for (int run = 0; run < 400; run++)
        {
            long conc = random.NextInt64(1_000, 5_000_001);
            int stepCount = random.Next(1, 13);
            var p = new Prescription();
            Check(p.SetDrug("d", conc));
            Check(p.SetLimit(1_000_000_000));
            Check(p.SetStep(0, random.NextInt64(0, 3_000_001)));
            for (int i = 1; i < stepCount; i++) Check(p.SetStep(random.Next(1, 1440), random.NextInt64(0, 3_000_001)));
            Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
            long dailyNgMinutes = 0;
            for (int i = 0; i < p.StepCount; i++)
            {
                int next = i + 1 < p.StepCount ? p.StepMinuteOfDay(i + 1) : p.StepMinuteOfDay(0) + 1440;
                dailyNgMinutes += p.StepRateNgPerDay(i) * (next - p.StepMinuteOfDay(i));
            }
            long dailyNl = dailyNgMinutes * 1_000_000 / 1440 / conc;
            if (dailyNl < 10_000) continue;                           // below 10 uL/day: not this test's range
            long reservoir = random.NextInt64(1, Math.Min(40 * dailyNl, Prescription.MaxCapacityNl));
            long start = random.NextInt64(0, 3 * Day);

            var rig = new Rig(start: start);
            rig.Begin(p, reservoir);
            long forecast = rig.C.EmptyInSeconds(start);
            Rational exact = ExactEmptyMicros(p, reservoir, start) - new Rational(start, 1);
            string what = $"run {run}: conc {conc} reservoir {reservoir} start {start} forecast {forecast} exact {exact}";
            Assert.True(exact.CompareTo(forecast * 1_000_000L) >= 0, "late: " + what);
            Assert.True(exact.CompareTo(forecast * 1_000_000L + 10_000_000L) < 0, "early by 10 s or more: " + what);
        }
    }

    /// <summary>When the integral of p's volume rate from <paramref name="start"/> reaches the reservoir, µs, exactly
    /// (the wall clock is not set: the time of day is timeline time).</summary>
    private static Rational ExactEmptyMicros(Prescription p, long reservoirNl, long start)
    {
        var left = new Rational(reservoirNl, 1);
        var t = new Rational(start, 1);
        long whole = start;                                           // segment ends are whole microseconds
        for (int guard = 0; guard < 100_000; guard++)
        {
            long tod = whole % Day;
            int minute = (int)(tod / Minute);
            long rate = p.RateNgPerDayAt(minute);
            int next = p.NextChangeMinute(minute);
            long end = next < 0 ? whole + Day : whole - tod + next * Minute;
            // nL in dt us: ng/day x 10^6 / conc x dt / 86400e6 = ng/day x dt / (conc x 86400).
            var segment = new Rational((System.Numerics.BigInteger)rate * (end - whole), (System.Numerics.BigInteger)p.ConcNgPerMl * 86_400);
            if (rate > 0 && segment.CompareTo(0) >= 0 && (segment - left).Num.Sign >= 0)
            {
                // t + left x conc x 86400 / rate
                return t + new Rational(left.Num * p.ConcNgPerMl * 86_400, left.Den * rate);
            }
            left = left - segment;
            whole = end;
            t = new Rational(end, 1);
        }
        throw new InvalidOperationException("the exact model did not end");
    }
}
