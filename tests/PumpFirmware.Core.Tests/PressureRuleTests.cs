// The pressure occlusion rule (issue 18): mV to mmHg through the calibration, a median of three
// that no single reading moves, the limit as ">=", an unreadable sensor as a fault after three
// failed reads, one sample a second, and its state section.
using PumpFirmware.Hal;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

public class PressureRuleTests
{
    private const long Second = 1_000_000;

    /// <summary>A sensor that reads the next queued value (null = no reading).</summary>
    private sealed class ScriptedSensor : IAnalogInput
    {
        private readonly Queue<int?> _readings;

        public ScriptedSensor(params int?[] readings) => _readings = new Queue<int?>(readings);

        public bool TryReadMillivolts(out int millivolts)
        {
            int? next = _readings.Dequeue();
            millivolts = next ?? 0;
            return next.HasValue;
        }
    }

    // Feeds the readings one second apart and records CauseAsserted after each.
    private static bool[] Feed(PressureRule rule, params int?[] readings)
    {
        var sensor = new ScriptedSensor(readings);
        var causes = new bool[readings.Length];
        for (int i = 0; i < readings.Length; i++)
        {
            Assert.True(rule.Sample(sensor, i * Second));
            causes[i] = rule.Ready && rule.CauseAsserted;
        }
        return causes;
    }

    [Theory]
    [InlineData(200, 200, 2000, 0)]
    [InlineData(201, 200, 2000, 500)]          // 1 mV = 0.5 mmHg at 2 mV/mmHg
    [InlineData(199, 200, 2000, -500)]         // below the sensor's zero: negative, not clamped
    [InlineData(800, 200, 2000, 300_000)]
    [InlineData(2200, 200, 2000, 1_000_000)]
    [InlineData(1000, 0, 1, 1_000_000_000)]    // the steepest calibration accepted: 1 µV/mmHg
    [InlineData(5000, 5000, 1_000_000, 0)]
    [InlineData(1, 0, 3, 333_333)]             // 333.333.. mmHg, truncated toward zero
    public void Millivolts_convert_to_thousandths_of_mmHg_through_zero_and_slope(int mv, int zero, long uvPerMmHg, long expected)
    {
        Assert.Equal(expected, PressureRule.ToMilliMmHg(mv, zero, uvPerMmHg));
    }

    [Fact]
    public void A_fresh_rule_has_the_default_calibration_and_limit()
    {
        var rule = new PressureRule();
        Assert.Equal(200, rule.ZeroMillivolts);
        Assert.Equal(2000, rule.MicrovoltsPerMmHg);
        Assert.Equal(300_000, rule.LimitMilliMmHg);
        Assert.False(rule.Ready);
        Assert.False(rule.HasReading);
        Assert.Equal(0, rule.NextSampleMicros);
    }

    [Fact]
    public void A_single_spike_never_raises_the_cause()
    {
        // 210 mV = 5 mmHg; 3000 mV = 1400 mmHg, far above the 300 mmHg limit, once.
        var rule = new PressureRule();
        Assert.Equal(new[] { false, false, false, false, false, false }, Feed(rule, 210, 210, 3000, 210, 210, 210));
        Assert.Equal(new[] { false, false, false, false, false }, Feed(new PressureRule(), 210, 210, 210, 3000, 210));
    }

    [Fact]
    public void A_single_dip_never_clears_a_real_occlusion()
    {
        var rule = new PressureRule();
        Assert.Equal(new[] { false, false, true, true, true }, Feed(rule, 900, 900, 900, 200, 900));
    }

    [Fact]
    public void A_rise_is_seen_at_the_second_sample_over_the_limit()
    {
        // 798 mV = 299 mmHg, 800 = 300 (the limit), 802 = 301.
        var rule = new PressureRule();
        Assert.Equal(new[] { false, false, false, false, true }, Feed(rule, 790, 794, 798, 800, 802));
    }

    [Theory]
    [InlineData(300_000, true)]   // at the limit: asserted
    [InlineData(300_500, false)]  // a limit 0.5 mmHg above the pressure
    public void The_limit_is_reached_at_equality(long limit, bool asserted)
    {
        var rule = new PressureRule();
        rule.SetLimit(limit);
        Feed(rule, 800, 800, 800);
        Assert.Equal(300_000, rule.FilteredMilliMmHg);
        Assert.Equal(asserted, rule.CauseAsserted);
    }

    [Fact]
    public void Until_three_samples_the_rule_is_not_ready_and_shows_the_last_sample()
    {
        var rule = new PressureRule();
        var sensor = new ScriptedSensor(900, 900, 900);
        rule.Sample(sensor, 0);
        Assert.False(rule.Ready);
        Assert.True(rule.HasReading);
        Assert.Equal(350_000, rule.FilteredMilliMmHg);
        Assert.False(rule.CauseAsserted);
        rule.Sample(sensor, Second);
        Assert.False(rule.Ready);
        rule.Sample(sensor, 2 * Second);
        Assert.True(rule.Ready);
        Assert.True(rule.CauseAsserted);
    }

    [Fact]
    public void Three_failed_reads_in_a_row_are_a_fault_that_asserts_the_cause_and_one_good_read_ends_it()
    {
        var rule = new PressureRule();
        Assert.Equal(new[] { false, false, false, false, false, true, true, false }, Feed(rule, 210, 210, 210, null, null, null, null, 210));
        Assert.False(rule.SensorFault);
        // Two failed reads are not a fault.
        var other = new PressureRule();
        Assert.Equal(new[] { false, false, false, false }, Feed(other, null, null, 210, null));
        // A fault is ready even before any good reading.
        var fresh = new PressureRule();
        Feed(fresh, null, null, null);
        Assert.True(fresh.Ready);
        Assert.True(fresh.CauseAsserted);
        Assert.False(fresh.HasReading);
    }

    [Fact]
    public void One_sample_per_second_and_none_before_it_is_due()
    {
        var rule = new PressureRule();
        var sensor = new ScriptedSensor(210, 220);
        Assert.True(rule.Sample(sensor, 5 * Second));
        Assert.Equal(6 * Second, rule.NextSampleMicros);
        Assert.False(rule.IsDue(6 * Second - 1));
        Assert.False(rule.Sample(sensor, 6 * Second - 1));
        Assert.True(rule.Sample(sensor, 9 * Second));       // late: no catch-up samples
        Assert.Equal(10 * Second, rule.NextSampleMicros);
        Assert.Equal(10_000, rule.LastMilliMmHg);
    }

    [Fact]
    public void A_new_calibration_applies_to_the_samples_already_in_the_filter()
    {
        var rule = new PressureRule();
        Feed(rule, 500, 500, 500);          // 150 mmHg
        Assert.False(rule.CauseAsserted);
        rule.SetCalibration(100, 1000);     // 500 mV is now 400 mmHg
        Assert.Equal(400_000, rule.FilteredMilliMmHg);
        Assert.True(rule.CauseAsserted);
    }

    [Fact]
    public void The_section_saves_fixed_width_bytes_and_loads_them_back()
    {
        var rule = new PressureRule();
        rule.SetCalibration(123, 4567);
        rule.SetLimit(150_250);
        var first = new StateWriter(new byte[64]);
        rule.SaveSection(first);
        Assert.Equal(PressureRule.SectionLength, first.Position);
        var again = new StateWriter(new byte[64]);
        rule.SaveSection(again);
        Assert.Equal(first.Buffer.Take(first.Position), again.Buffer.Take(again.Position));

        var loaded = new PressureRule();
        Assert.True(loaded.LoadSection(new StateReader(first.Buffer, 0, first.Position), first.Position));
        Assert.Equal(123, loaded.ZeroMillivolts);
        Assert.Equal(4567, loaded.MicrovoltsPerMmHg);
        Assert.Equal(150_250, loaded.LimitMilliMmHg);
        loaded.ClearSection();
        Assert.Equal(PressureRule.DefaultZeroMillivolts, loaded.ZeroMillivolts);
        Assert.Equal(PressureRule.DefaultMicrovoltsPerMmHg, loaded.MicrovoltsPerMmHg);
        Assert.Equal(PressureRule.DefaultLimitMilliMmHg, loaded.LimitMilliMmHg);
    }

    /// <summary>(byte to corrupt, value): each field out of range, and the version.</summary>
    [Theory]
    [InlineData(0, 2)]       // version
    [InlineData(4, 0x80)]    // zero mV negative (top byte of the little-endian int)
    [InlineData(2, 0x14)]    // zero mV = 5120 + .. > 5000
    [InlineData(12, 0x80)]   // slope negative
    [InlineData(20, 0x80)]   // limit negative
    public void A_section_with_a_field_out_of_range_is_refused_and_changes_nothing(int offset, int value)
    {
        var writer = new StateWriter(new byte[64]);
        new PressureRule().SaveSection(writer);
        writer.Buffer[offset] = (byte)value;
        var rule = new PressureRule();
        rule.SetLimit(100_000);
        Assert.False(rule.LoadSection(new StateReader(writer.Buffer, 0, writer.Position), writer.Position));
        Assert.Equal(100_000, rule.LimitMilliMmHg);
    }

    [Theory]
    [InlineData(PressureRule.SectionLength - 1)]
    [InlineData(PressureRule.SectionLength + 1)]
    [InlineData(0)]
    public void A_section_of_another_length_is_refused(int length)
    {
        var writer = new StateWriter(new byte[64]);
        new PressureRule().SaveSection(writer);
        Assert.False(new PressureRule().LoadSection(new StateReader(writer.Buffer, 0, 64), length));
    }
}
