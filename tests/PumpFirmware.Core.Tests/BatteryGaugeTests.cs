using PumpFirmware.Energy;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>The battery gauge (Energy/BatteryGauge): the ledger, the voltage correction, the ERI/EOS forecast and
/// latches, and what survives a power cut. Figures are hand-computed from the profile.</summary>
public class BatteryGaugeTests
{
    private const long Second = 1_000_000;
    private const long Hour = 3600 * Second;
    private const long Day = 24 * Hour;
    private const long MahNc = BatteryProfile.NanocoulombsPerMilliampHour;

    // 10 mAh, 1 µA baseline (= 86.4 µC/day: 416.67 days), 1 µC per step, 10 nC per byte, ERI 90 days before EOS.
    private static BatteryProfile Small(int[]? mv = null, int[]? permille = null) =>
        new(10 * MahNc, 1_000, 1_000, 10, 90, mv, permille);

    [Fact]
    public void The_synchromed_class_profile_lasts_about_seven_years_idle_and_five_at_one_ml_a_day()
    {
        var p = BatteryProfile.SynchroMedClass();
        // 3.6e12 nC / (16000 nA x 86400 s) = 2604.2 days = 7.13 years.
        Assert.Equal(2604, p.CapacityNanocoulombs / (p.BaselineNanoamps * 86400));
        // 1 mL/day at 64000 steps/mL: + 64000 x 8000 nC a day -> 1900.3 days = 5.2 years.
        Assert.Equal(1900, p.CapacityNanocoulombs / (p.BaselineNanoamps * 86400 + 64000 * p.StepNanocoulombs));
        Assert.Equal(90, p.EriNoticeDays);
    }

    [Fact]
    public void The_baseline_is_charged_exactly_over_any_span_with_the_remainder_carried()
    {
        var g = new BatteryGauge(new BatteryProfile(100_000 * MahNc, 1_000, 1_000, 10, 90, null, null));
        g.Boot(0);
        // 1000 nA in steps of 1 or 2 µs up to 1500 µs: 1.5 nC, of which 1 is charged and 0.5 carried.
        for (int i = 1; i <= 1000; i++) g.Advance(i * 3 / 2);
        Assert.Equal(1, g.ConsumedNanocoulombs);
        // Ten years from 0 at 1000 nA: exactly 3650 x 86400 s x 1000 nA, nothing lost to the carry.
        g.Advance(3650 * Day);
        Assert.Equal(3650 * 86_400L * 1_000, g.ConsumedNanocoulombs);
        Assert.Equal(3650 * Day, g.PoweredMicros);
        // Time running backwards charges nothing.
        g.Advance(Day);
        Assert.Equal(3650 * 86_400L * 1_000, g.ConsumedNanocoulombs);
    }

    [Fact]
    public void Steps_and_bytes_cost_their_charge()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        g.AddSteps(3);
        g.AddBytes(7);
        g.AddSteps(0);
        g.AddBytes(-5);
        Assert.Equal(3 * 1_000 + 7 * 10, g.ConsumedNanocoulombs);
    }

    [Fact]
    public void Eri_falls_due_ninety_days_before_the_forecast_end_of_service_and_eos_when_the_charge_is_gone()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        // Baseline only: 36e9 nC / 1000 nA = 36e6 s = 416.67 days to EOS; ERI 90 days earlier.
        long eos = 36_000_000L * Second;
        Assert.Equal(eos, g.EosInMicros());
        Assert.Equal(eos - 90 * Day, g.EriInMicros());
        // The first wake is the ceiling's (0.15 mAh at 1 µA: 6.25 days); following the wakes lands exactly on ERI.
        Assert.Equal(540_000L * Second, g.NextWakeMicros);
        Assert.Equal(eos - 90 * Day, WakeChain(g, eos - 90 * Day));
        g.Advance(eos - 90 * Day - Second);
        Assert.False(g.Evaluate(eos - 90 * Day - Second));
        g.Advance(eos - 90 * Day);
        Assert.True(g.Evaluate(eos - 90 * Day));
        Assert.True(g.Eri);
        Assert.False(g.Eos);
        Assert.Equal(eos - 90 * Day, g.EriAtMicros);
        Assert.Equal(0, g.EriInMicros());
        Assert.Equal(90 * Day, g.EosInMicros());
        Assert.Equal(eos, WakeChain(g, eos));
        g.Advance(eos - 1);
        Assert.False(g.Evaluate(eos - 1));
        g.Advance(eos);
        Assert.True(g.Evaluate(eos));
        Assert.True(g.Eos);
        Assert.Equal(0, g.RemainingNanocoulombs);
        Assert.Equal(long.MaxValue, g.NextWakeMicros);
    }

    // Follows the gauge's own wakes (ceiling moves) up to the first one at or after the target; returns it.
    private static long WakeChain(BatteryGauge g, long target)
    {
        long wake = g.NextWakeMicros;
        while (wake < target)
        {
            g.Advance(wake);
            g.Evaluate(wake);
            wake = g.NextWakeMicros;
        }
        return wake;
    }

    [Fact]
    public void While_the_pump_is_busy_eri_is_forecast_at_most_every_ten_minutes_and_raised_within_them()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        // One hour of baseline (3.6 mC) before the ERI threshold (90 days x 86.4 mC/day = 7.776 C left).
        g.AddSteps((36_000_000_000L - 7_776_000_000L - 3_600_000L) / 1_000);
        Assert.False(g.Evaluate(0));
        Assert.Equal(3600 * Second, g.NextWakeMicros); // idle, ERI would fall due in exactly one hour
        // A burst of 3600 steps (3.6 mC) at 1 s makes it due now; the forecast is not run on every step.
        g.Advance(Second);
        g.AddSteps(3_600);
        Assert.False(g.Evaluate(Second));
        g.Advance(599 * Second);
        Assert.False(g.Evaluate(599 * Second));
        g.Advance(600 * Second);
        Assert.True(g.Evaluate(600 * Second));
        Assert.Equal(600 * Second, g.EriAtMicros);
        // A change of the motor rate forecasts at once.
        var h = new BatteryGauge(Small());
        h.Boot(0);
        h.AddSteps((36_000_000_000L - 7_776_000_000L - 3_600_000L) / 1_000);
        Assert.False(h.Evaluate(0));
        h.Advance(Second);
        h.SetMotorRate(86_400_000); // 1000 steps/s: 1 C/day, due at once
        Assert.True(h.Evaluate(Second));
    }

    [Fact]
    public void The_forecast_uses_the_motor_rate_when_it_drains_faster_than_the_average()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        g.SetMotorRate(86_400); // one step a second: 1000 nA more.
        Assert.Equal(2 * 86_400_000L, g.DrainNanocoulombsPerDay);
        Assert.Equal(18_000_000L * Second, g.EosInMicros());
        g.SetMotorRate(0);
        // A day at 3 µA on average (steps charged) -> the average wins once a day has passed.
        g.Advance(Day);
        g.AddSteps(2 * 86_400);
        Assert.Equal(3 * 86_400_000L, g.DrainNanocoulombsPerDay);
    }

    [Fact]
    public void Eri_always_comes_before_or_with_eos_even_when_a_step_burst_ends_the_charge()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        g.AddSteps(10 * MahNc / 1_000);
        Assert.True(g.Evaluate(5 * Second));
        Assert.True(g.Eri && g.Eos);
        Assert.Equal(5 * Second, g.EriAtMicros);
        Assert.Equal(5 * Second, g.EosAtMicros);
    }

    [Fact]
    public void Three_low_readings_in_a_row_lower_the_estimate_one_does_not_and_none_ever_raises_it()
    {
        // 3600 mV -> 1000 permille, 3000 mV -> 0, linear between.
        var g = new BatteryGauge(Small(new[] { 3601, 3000 }, new[] { 1000, 0 }));
        g.Boot(0);
        long t = 0;
        void Read(int mv) { g.Advance(t); Assert.True(g.WantsSample(t)); g.Sample(true, mv, t); t += BatteryGauge.SampleIntervalMicros; }
        Read(3300); // one low reading (500 permille)
        Read(3600);
        Read(3300);
        long modelOnly = g.ConsumedNanocoulombs;
        Assert.True(modelOnly < MahNc);
        Read(3300);
        Read(3300); // three in a row now: at most 500 permille left
        Assert.Equal(5 * MahNc, g.ConsumedNanocoulombs);
        Read(3600);
        Read(3600);
        Read(3600); // a high voltage never gives charge back
        Assert.True(g.ConsumedNanocoulombs >= 5 * MahNc);
        Assert.Equal(BatteryGauge.AdcOk, g.AdcState);
        Assert.Equal(3600, g.LastMillivolts);
    }

    [Fact]
    public void A_failed_reading_is_a_fault_that_restarts_the_run_of_readings_and_changes_no_charge()
    {
        var g = new BatteryGauge(Small(new[] { 3601, 3000 }, new[] { 1000, 0 }));
        g.Boot(0);
        g.Sample(true, 3000, 0);
        g.Sample(true, 3000, 60 * Second);
        g.Sample(false, 0, 120 * Second);
        Assert.Equal(BatteryGauge.AdcFault, g.AdcState);
        g.Sample(true, 3000, 180 * Second);
        Assert.Equal(0, g.ConsumedNanocoulombs);
        Assert.False(g.WantsSample(200 * Second));
        Assert.True(g.WantsSample(240 * Second));
    }

    [Fact]
    public void The_curve_bound_says_nothing_above_the_knee_and_is_linear_below_it_rounded_up()
    {
        var p = BatteryProfile.SynchroMedClass();
        Assert.Equal(1000, p.PermilleAtMost(3700));
        Assert.Equal(1000, p.PermilleAtMost(3501));
        Assert.Equal(1000, p.PermilleAtMost(3500)); // at the knee the cell may be anywhere above it
        Assert.Equal(60 + (99 * 60 + 99) / 100, p.PermilleAtMost(3499)); // 60 + ceil(59.4) = 120
        Assert.Equal(90, p.PermilleAtMost(3450));
        Assert.Equal(45, p.PermilleAtMost(3350));
        Assert.Equal(10, p.PermilleAtMost(3100));
        Assert.Equal(0, p.PermilleAtMost(3000));
        Assert.Equal(0, p.PermilleAtMost(100));
        Assert.Equal(1000, Small().PermilleAtMost(0));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(BatteryGauge.HeadroomNanocoulombs - BatteryGauge.MarginNanocoulombs)]
    [InlineData(BatteryGauge.HeadroomNanocoulombs - BatteryGauge.MarginNanocoulombs - 10)]
    [InlineData(BatteryGauge.HeadroomNanocoulombs - BatteryGauge.MarginNanocoulombs + 10)]
    [InlineData(7 * MahNc)]
    public void A_power_cut_at_any_point_never_forgets_charge(long used)
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        g.AddSteps(used / 1_000);
        g.AddBytes(used % 1_000 / 10);
        long truth = g.ConsumedNanocoulombs;
        // The image holds a ceiling at least a margin ahead of the ledger.
        Assert.True(g.CeilingNanocoulombs > truth + BatteryGauge.MarginNanocoulombs);
        Assert.True(g.CeilingNanocoulombs <= truth + BatteryGauge.HeadroomNanocoulombs);
        var back = Reload(g);
        Assert.Equal(g.CeilingNanocoulombs, back.ConsumedNanocoulombs);
        Assert.True(back.ConsumedNanocoulombs >= truth);
    }

    [Fact]
    public void The_ceiling_moves_only_when_the_ledger_comes_within_the_margin_and_the_image_bytes_stay_the_same_otherwise()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        Assert.False(g.TakeCeilingMoved());
        byte[] first = Image(g);
        g.AddBytes(1000);
        Assert.False(g.TakeCeilingMoved());
        Assert.Equal(first, Image(g));
        long wake = g.NextWakeMicros;
        // At the baseline alone, the ledger reaches ceiling - margin at that wake (1000 nA: 1 nC per ms).
        Assert.Equal((BatteryGauge.HeadroomNanocoulombs - BatteryGauge.MarginNanocoulombs - 10_000) * 1000, wake);
        g.Advance(wake - 1);
        Assert.False(g.TakeCeilingMoved());
        g.Advance(wake);
        Assert.True(g.TakeCeilingMoved());
        Assert.False(g.TakeCeilingMoved());
        Assert.NotEqual(first, Image(g));
    }

    [Fact]
    public void The_section_is_38_bytes_and_round_trips_the_latches()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        g.AddSteps(10 * MahNc / 1_000);
        g.Evaluate(7 * Second);
        g.Replace(8 * Second);
        g.AddSteps(10 * MahNc / 1_000);
        g.Evaluate(9 * Second);
        byte[] image = Image(g);
        Assert.Equal(BatteryGauge.SectionLength, image.Length);
        Assert.True(BatteryGauge.SectionLength <= 64);
        var back = Reload(g);
        Assert.True(back.Eri && back.Eos);
        Assert.Equal(9 * Second, back.EriAtMicros);
        Assert.Equal(9 * Second, back.EosAtMicros);
        Assert.Equal(1, back.Replacements);
        Assert.Equal(image, Image(back));
    }

    [Theory]
    [InlineData(0, 2)]      // version
    [InlineData(17, 4)]     // unknown flag
    [InlineData(17, 2)]     // EOS without ERI
    [InlineData(8, 0x80)]   // negative ceiling (top byte of the little-endian long)
    public void A_section_with_a_bad_field_is_refused(int offset, int value)
    {
        var g = new BatteryGauge(Small());
        byte[] image = Image(g);
        image[offset] = (byte)value;
        var other = new BatteryGauge(Small());
        Assert.False(other.LoadSection(new StateReader(image, 0, image.Length), image.Length));
        Assert.False(other.LoadSection(new StateReader(image, 0, image.Length - 1), image.Length - 1));
    }

    [Fact]
    public void Replacing_restarts_the_ledger_and_clears_the_latches()
    {
        var g = new BatteryGauge(Small());
        g.Boot(0);
        g.AddSteps(10 * MahNc / 1_000);
        Assert.True(g.Evaluate(Second));
        g.Replace(2 * Second);
        Assert.False(g.Eri || g.Eos);
        Assert.Equal(0, g.ConsumedNanocoulombs);
        Assert.Equal(0, g.PoweredMicros);
        Assert.Equal(1, g.Replacements);
        Assert.True(g.TakeCeilingMoved());
    }

    [Fact]
    public void Accounting_a_step_allocates_nothing()
    {
        var g = new BatteryGauge(BatteryProfile.SynchroMedClass());
        g.Boot(0);
        g.AddSteps(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            g.AddSteps(1);
            g.AddBytes(3);
            g.Advance(i * 1000L);
            g.Evaluate(i * 1000L);
            _ = g.NextWakeMicros;
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static byte[] Image(BatteryGauge g)
    {
        var w = new StateWriter(new byte[64]);
        g.SaveSection(w);
        return w.Buffer.AsSpan(0, w.Position).ToArray();
    }

    private static BatteryGauge Reload(BatteryGauge g)
    {
        byte[] image = Image(g);
        var back = new BatteryGauge(g.Profile);
        Assert.True(back.LoadSection(new StateReader(image, 0, image.Length), image.Length));
        return back;
    }
}
