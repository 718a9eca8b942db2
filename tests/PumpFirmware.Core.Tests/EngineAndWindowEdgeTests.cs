using PumpFirmware.Dosing;
using PumpFirmware.Storage;

namespace PumpFirmware.Core.Tests;

/// <summary>Corners of the delivery engine and the 24 h window left by the table and property
/// tests: a restart moves the next step at once, and saved records that are valid at their
/// boundaries (rate 0, nothing consumed, a window whose minute is 0) load.</summary>
public class EngineAndWindowEdgeTests
{
    private const long OneStepPerMinuteQ32 = 1440L << 32;

    [Fact]
    public void Restart_moves_the_next_step_to_one_interval_after_the_restart()
    {
        var e = new DeliveryEngine();
        e.SetRate(OneStepPerMinuteQ32, 0);
        Assert.Equal(60_000_000, e.NextMicros);
        e.Restart(30_000_000);
        Assert.Equal(90_000_000, e.NextMicros);
        Assert.True(e.NextIsStep);
    }

    [Fact]
    public void An_engine_at_rate_zero_with_nothing_consumed_saves_and_loads()
    {
        var e = new DeliveryEngine();
        e.Restart(5_000_000);
        var w = new StateWriter(new byte[64]);
        e.Save(w);
        var loaded = new DeliveryEngine();
        loaded.SetRate(OneStepPerMinuteQ32, 0);
        var r = new StateReader(w.Buffer, 0, w.Position);
        Assert.True(loaded.Load(r));
        Assert.False(r.Failed);
        Assert.Equal((0L, 5_000_000L, long.MaxValue), (loaded.RateQ32PerDay, loaded.AnchorMicros, loaded.NextMicros));
    }

    [Fact]
    public void A_window_charged_in_minute_zero_saves_and_loads()
    {
        var window = new DoseWindow();
        window.Add(0, 1_000);
        window.Add(59_999_999, 2_000);                 // still minute 0
        var w = new StateWriter(new byte[DoseWindow.Slots * 8 + 16]);
        window.Save(w);
        var loaded = new DoseWindow();
        Assert.True(loaded.Load(new StateReader(w.Buffer, 0, w.Position)));
        Assert.Equal(3_000, loaded.SumAt(60_000_000));
    }
}
