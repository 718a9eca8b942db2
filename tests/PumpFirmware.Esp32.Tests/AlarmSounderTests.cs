using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The buzzer patterns as tables, and the sounder driving a recording PWM output.</summary>
public class AlarmSounderTests
{
    private sealed class RecordingPwm : IPwmOutput
    {
        public List<(long AtMillis, int Hz)> Changes { get; } = new();

        public long NowMillis { get; set; }

        public void Set(int frequencyHz, int dutyPermille)
        {
            Assert.Equal(AlarmSounder.ToneDutyPermille, dutyPermille);
            Changes.Add((NowMillis, frequencyHz));
        }

        public void Stop() => Changes.Add((NowMillis, 0));
    }

    [Theory]
    // elapsed ms, expected Hz, ms to next change (High: 150 on/100 off ×3, +300, 150/100, 150, 1150)
    [InlineData(0, 2400, 150)]
    [InlineData(149, 2400, 1)]
    [InlineData(150, 0, 100)]
    [InlineData(250, 2400, 150)]
    [InlineData(500, 2400, 150)]
    [InlineData(650, 0, 300)]       // the gap between the 3 and the 2
    [InlineData(950, 2400, 150)]
    [InlineData(1200, 2400, 150)]
    [InlineData(1350, 0, 1150)]     // the pause
    [InlineData(2499, 0, 1)]
    [InlineData(2500, 2400, 150)]   // the next cycle
    public void High_pattern_table(long elapsed, int hz, long toNext)
    {
        Assert.Equal(hz, BuzzerPatterns.High.FrequencyAt(elapsed, out var next));
        Assert.Equal(toNext, next);
    }

    [Theory]
    [InlineData(0, 1600, 200)]
    [InlineData(200, 0, 200)]
    [InlineData(400, 1600, 200)]
    [InlineData(600, 0, 14400)]
    [InlineData(14_999, 0, 1)]
    [InlineData(15_000, 1600, 200)]
    public void Low_pattern_table(long elapsed, int hz, long toNext)
    {
        Assert.Equal(hz, BuzzerPatterns.Low.FrequencyAt(elapsed, out var next));
        Assert.Equal(toNext, next);
    }

    [Fact]
    public void The_two_priorities_differ_in_pitch_pulse_count_and_repetition()
    {
        Assert.Equal(5, BuzzerPatterns.High.PulsesPerCycle);
        Assert.Equal(2, BuzzerPatterns.Low.PulsesPerCycle);
        Assert.Equal(2500, BuzzerPatterns.High.CycleMillis);
        Assert.Equal(15_000, BuzzerPatterns.Low.CycleMillis);
        Assert.NotEqual(BuzzerPatterns.HighToneHz, BuzzerPatterns.LowToneHz);
        Assert.Null(BuzzerPatterns.For(AlarmPriority.None));
    }

    private static RecordingPwm Play(AlarmPriority priority, long millis, int stepMillis = 10)
    {
        var pwm = new RecordingPwm();
        var sounder = new AlarmSounder(pwm);
        pwm.Changes.Clear(); // the constructor's Stop
        for (long t = 0; t < millis; t += stepMillis)
        {
            pwm.NowMillis = t;
            sounder.Update(t * 1000, priority);
        }

        return pwm;
    }

    [Fact]
    public void High_priority_sounds_five_2400Hz_pulses_of_150ms_every_2500ms()
    {
        var pwm = Play(AlarmPriority.High, 5000);
        var onsets = pwm.Changes.Where(c => c.Hz > 0).ToList();
        Assert.Equal(10, onsets.Count);
        Assert.All(onsets, c => Assert.Equal(2400, c.Hz));
        Assert.Equal(new long[] { 0, 250, 500, 950, 1200, 2500, 2750, 3000, 3450, 3700 }, onsets.Select(c => c.AtMillis));
        var offs = pwm.Changes.Where(c => c.Hz == 0).Select(c => c.AtMillis).ToList();
        Assert.Equal(new long[] { 150, 400, 650, 1100, 1350 }, offs.Take(5));
    }

    [Fact]
    public void Low_priority_sounds_two_1600Hz_pulses_every_15s()
    {
        var pwm = Play(AlarmPriority.Low, 30_000, 50);
        var onsets = pwm.Changes.Where(c => c.Hz > 0).ToList();
        Assert.Equal(new long[] { 0, 400, 15_000, 15_400 }, onsets.Select(c => c.AtMillis));
        Assert.All(onsets, c => Assert.Equal(1600, c.Hz));
    }

    [Fact]
    public void No_alarm_is_silent_and_touches_the_output_only_once()
    {
        var pwm = new RecordingPwm();
        var sounder = new AlarmSounder(pwm);
        for (long t = 0; t < 10_000; t += 10)
        {
            sounder.Update(t * 1000, AlarmPriority.None);
        }

        Assert.Equal(new[] { (0L, 0) }, pwm.Changes);
        Assert.Equal(long.MaxValue, sounder.NextChangeMicros);
    }

    [Fact]
    public void A_new_high_alarm_sounds_at_once_and_restarts_the_pattern()
    {
        var pwm = new RecordingPwm();
        var sounder = new AlarmSounder(pwm);
        sounder.Update(0, AlarmPriority.Low);
        pwm.NowMillis = 700;
        sounder.Update(700_000, AlarmPriority.Low);   // in the low pattern's long pause
        sounder.Update(700_000, AlarmPriority.High);
        Assert.Equal((700L, 2400), pwm.Changes[^1]);
        Assert.Equal(850_000, sounder.NextChangeMicros);
        sounder.Update(710_000, AlarmPriority.None);
        Assert.Equal(0, pwm.Changes[^1].Hz);
    }

    [Fact]
    public void Bad_patterns_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new BuzzerPattern(new[] { 100 }, new[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => new BuzzerPattern(Array.Empty<int>(), Array.Empty<int>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BuzzerPattern(new[] { 0 }, new[] { 2000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BuzzerPattern(new[] { 10 }, new[] { 40_001 }));
        Assert.Throws<ArgumentNullException>(() => new AlarmSounder(null!));
    }
}
