using PumpFirmware.Therapy;

namespace PumpFirmware.Core.Tests;

/// <summary>DOSE_LIMIT's held-back steps: counted per episode and in total, cleared 10 minutes after the last one, and
/// stored as the later of the last one and the reserve set ahead of it, so a reset never clears the alarm early.</summary>
public class DoseLimitHoldTests
{
    [Fact]
    public void The_alarm_clears_10_minutes_after_the_last_held_back_step()
    {
        var held = new DoseLimitHold();
        held.Hold(5 * Rig.Minute);
        held.Hold(7 * Rig.Minute);
        Assert.Equal(7 * Rig.Minute, held.LastMicros);
        Assert.Equal(17 * Rig.Minute, held.ClearsAtMicros);
    }

    [Fact]
    public void An_episode_counts_from_0_again_after_it_ends_and_the_total_goes_on()
    {
        var held = new DoseLimitHold();
        held.Hold(1);
        held.Hold(2);
        held.Hold(3);
        Assert.Equal(3, held.EndEpisode());
        Assert.Equal(0, held.InEpisode);
        held.Hold(4);
        Assert.Equal(1, held.InEpisode);
        Assert.Equal(4, held.Total);
    }

    [Fact]
    public void The_image_stores_the_reserve_while_it_is_ahead_and_the_last_step_once_it_passes_it()
    {
        var held = new DoseLimitHold();
        held.Hold(10 * Rig.Minute);
        held.ReserveUntil(11 * Rig.Minute);
        Assert.Equal(11 * Rig.Minute, held.SavedLastMicros);
        held.Hold(11 * Rig.Minute + 1);
        Assert.Equal(11 * Rig.Minute + 1, held.SavedLastMicros);
    }

    [Fact]
    public void A_restored_image_takes_the_stored_time_as_the_last_step_and_the_reserve()
    {
        var held = new DoseLimitHold();
        held.Restore(30 * Rig.Minute, 12, 500);
        Assert.Equal(30 * Rig.Minute, held.LastMicros);
        Assert.Equal(30 * Rig.Minute, held.ReserveMicros);
        Assert.Equal(40 * Rig.Minute, held.ClearsAtMicros);
        Assert.Equal(12, held.InEpisode);
        Assert.Equal(500, held.Total);
    }
}
