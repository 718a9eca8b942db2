using PumpFirmware.Hal.Simulated;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Hal;

/// <summary>The simulated peripherals behave as the hardware they stand for.</summary>
public class SimulatedHalTests
{
    private static (VirtualClock Clock, SimMotorDriver Driver, PumpPlant Plant, VirtualStepGenerator Generator) Pump(long stepsPerMl = 64000)
    {
        var clock = new VirtualClock(ClockMode.Manual);
        var driver = new SimMotorDriver(clock);
        var plant = new PumpPlant(driver, stepsPerMl);
        var generator = new VirtualStepGenerator(clock, plant, minIntervalMicros: 1000, maxBlockSteps: 100);
        return (clock, driver, plant, generator);
    }

    [Fact]
    public void A_block_is_emitted_one_step_per_interval_in_virtual_time()
    {
        var (clock, driver, plant, generator) = Pump();
        driver.Enable();
        Assert.True(generator.TryIssue(10, 1000));
        Assert.Equal(9, generator.PendingSteps); // the first pulse at once
        clock.Advance(4_500);
        Assert.Equal(5, generator.PendingSteps); // pulses at 0, 1, 2, 3, 4 ms
        Assert.False(generator.TryIssue(1, 1000)); // busy
        clock.Advance(100_000);
        Assert.Equal(0, generator.PendingSteps);
        Assert.Equal(10, plant.ConfirmedSteps);
        Assert.Equal(10 * 1e6 / 64000, plant.DeliveredNanoliters, 6); // 156.25 nL
    }

    [Theory]
    [InlineData(0, 1000, false)]
    [InlineData(1, 999, false)]   // faster than the board allows
    [InlineData(101, 1000, false)] // larger than a block
    [InlineData(100, 1000, true)]
    public void Blocks_out_of_range_are_refused(int steps, int interval, bool accepted)
    {
        var (_, _, _, generator) = Pump();
        Assert.Equal(accepted, generator.TryIssue(steps, interval));
    }

    [Fact]
    public void Steps_while_the_driver_is_disabled_move_nothing_fail_closed()
    {
        var (clock, _, plant, generator) = Pump();
        generator.TryIssue(5, 1000);
        clock.Advance(10_000);
        Assert.Equal(0, plant.ConfirmedSteps);
        Assert.Equal(5, plant.PulsesWhileDisabled);
        Assert.Equal(0, plant.DeliveredNanoliters);
    }

    [Fact]
    public void A_stalled_head_confirms_nothing_and_an_occluded_one_delivers_nothing()
    {
        var (clock, driver, plant, generator) = Pump();
        driver.Enable();
        plant.Stalled = true;
        generator.TryIssue(5, 1000);
        clock.Advance(10_000);
        Assert.Equal(0, plant.ConfirmedSteps);
        plant.Stalled = false;
        plant.Occluded = true;
        Assert.True(plant.OcclusionSensor.IsAsserted);
        generator.TryIssue(5, 1000);
        clock.Advance(10_000);
        Assert.Equal(5, plant.ConfirmedSteps);
        Assert.Equal(0, plant.DeliveredNanoliters);
        Assert.True(plant.HeldBackNanoliters > 0);
    }

    [Fact]
    public void Calibration_error_scales_and_pulsation_averages_out_per_revolution()
    {
        var (clock, driver, plant, generator) = Pump(stepsPerMl: 1000); // 1000 nL per step
        plant.CalibrationErrorPpm = -20_000; // 2 % under
        plant.PulsationAmplitude = 0.3;
        plant.StepsPerRevolution = 50;
        driver.Enable();
        generator.TryIssue(50, 1000);
        clock.Advance(1_000_000);
        Assert.Equal(50 * 1000 * 0.98, plant.DeliveredNanoliters, 6);
        generator.TryIssue(10, 1000); // a fifth of a revolution: not the average
        clock.Advance(1_000_000);
        Assert.NotEqual(60 * 1000 * 0.98, plant.DeliveredNanoliters, 3);
    }

    [Fact]
    public void Volumes_read_only_at_the_end_equal_volumes_read_after_every_move_to_the_last_bit()
    {
        // The plant adds up its moves' volumes only when read; occlusions come and go in between. A plant read after every
        // move adds each at once, in the order the moves happened: both must hold the same doubles, bit for bit.
        var random = new Random(5);
        var eager = Pump(stepsPerMl: 64000);
        var lazy = Pump(stepsPerMl: 64000);
        foreach (var p in new[] { eager, lazy })
        {
            p.Plant.PulsationAmplitude = 0.3;
            p.Plant.CalibrationErrorPpm = -15_000;
            p.Driver.Enable();
        }
        for (int block = 0; block < 3000; block++)
        {
            int steps = random.Next(1, 9);
            bool toggle = random.Next(40) == 0;
            foreach (var p in new[] { eager, lazy })
            {
                if (toggle) p.Plant.Occluded = !p.Plant.Occluded;
                Assert.True(p.Generator.TryIssue(steps, 1000));
                p.Clock.Advance(steps * 1000L);
            }
            _ = eager.Plant.DeliveredNanoliters;
        }
        Assert.True(lazy.Plant.HeldBackNanoliters > 0);
        Assert.Equal(BitConverter.DoubleToInt64Bits(eager.Plant.DeliveredNanoliters), BitConverter.DoubleToInt64Bits(lazy.Plant.DeliveredNanoliters));
        Assert.Equal(BitConverter.DoubleToInt64Bits(eager.Plant.HeldBackNanoliters), BitConverter.DoubleToInt64Bits(lazy.Plant.HeldBackNanoliters));
    }

    [Fact]
    public void The_pump_clock_restarts_at_boot_while_world_time_and_off_time_run_on()
    {
        var clock = new VirtualClock(ClockMode.Manual);
        var offTime = new VirtualOffTimeClock(clock);
        clock.Advance(5_000_000);
        clock.Reboot();
        clock.Advance(2_000_000);
        Assert.Equal(2_000_000, clock.NowMicros);
        Assert.True(offTime.TryReadSeconds(out long s));
        Assert.Equal(7, s);
        offTime.Trusted = false;
        Assert.False(offTime.TryReadSeconds(out _));
    }

    [Fact]
    public void Motor_driver_starts_disabled_and_records_transitions()
    {
        var clock = new VirtualClock(ClockMode.Manual);
        var driver = new SimMotorDriver(clock);
        Assert.False(driver.IsEnabled);
        driver.Enable();
        clock.Advance(10);
        driver.Disable();
        driver.Disable();
        Assert.Equal(new[] { (0L, true), (10L, false) }, driver.History.ToArray());
    }

    [Fact]
    public void Buzzer_records_its_pattern_and_sounding_time()
    {
        var clock = new VirtualClock(ClockMode.Manual);
        var buzzer = new SimBuzzer(clock);
        buzzer.Set(2000, 500);
        clock.Advance(300);
        buzzer.Stop();
        clock.Advance(700);
        Assert.Equal(300, buzzer.SoundedMicros);
        Assert.Equal(2, buzzer.Pattern.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => buzzer.Set(0, 10));
    }

    [Fact]
    public void Serial_link_queues_both_ways_and_counts_what_does_not_fit()
    {
        var link = new SimSerialLink(toDeviceCapacity: 4, toHostCapacity: 3);
        link.HostWrite("hello"u8);
        var buffer = new byte[10];
        Assert.Equal(4, link.Read(buffer, 0, 10));
        Assert.Equal(1, link.DroppedToDevice);
        link.Write(new byte[] { 1, 2, 3, 4 }, 0, 4);
        Assert.Equal(3, link.HostRead(buffer, 0, 10));
        Assert.Equal(1, link.DroppedToHost);
    }

    [Fact]
    public void Folder_store_cuts_a_write_at_the_armed_byte_and_then_plays_dead()
    {
        string folder = Path.Combine(Path.GetTempPath(), "pf-store-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new FolderRecordStore(folder);
            store.Write(1, new byte[] { 1, 2, 3 }, 0, 3);
            bool cut = false;
            store.PowerCut += () => cut = true;
            store.ArmPowerCut(1, 2);
            store.Write(1, new byte[] { 9, 9, 9, 9 }, 0, 4);
            Assert.True(cut);
            store.Append(2, new byte[] { 5 }, 0, 1); // dead: ignored
            store.PowerOn();
            Assert.Equal(new byte[] { 9, 9 }, store.Load(1)); // truncated, then 2 bytes: not write-then-rename
            Assert.Null(store.Load(2));
            store.FlipBit(1, 0, 0);
            Assert.Equal(new byte[] { 8, 9 }, new FolderRecordStore(folder).Load(1));
            Assert.Equal(new[] { 1 }, store.FileIds.ToArray());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_store_fails_the_armed_write_alone_keeps_what_it_held_and_stays_powered()
    {
        var store = new MemoryRecordStore();
        store.Write(1, new byte[] { 1, 2, 3 }, 0, 3);
        store.Append(3, new byte[] { 7 }, 0, 1);
        bool cut = false;
        store.PowerCut += () => cut = true;
        store.ArmWriteFailure(3); // the second write from now (writes 0 and 1 happened)
        store.Append(3, new byte[] { 8 }, 0, 1);
        var error = Assert.Throws<IOException>(() => store.Write(1, new byte[] { 9, 9, 9, 9 }, 0, 4));
        Assert.Contains("write 3", error.Message);
        Assert.Equal(new byte[] { 1, 2, 3 }, store.Load(1));
        Assert.Equal(4, store.WriteCount);
        Assert.Equal(1, store.WriteFailures);
        Assert.False(store.IsDead);
        Assert.False(cut);
        store.Write(1, new byte[] { 9, 9, 9, 9 }, 0, 4); // one write only: the next lands
        store.Delete(3);
        Assert.Equal(new byte[] { 9, 9, 9, 9 }, store.Load(1));
        Assert.Null(store.Load(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ArmWriteFailure(5));
    }

    [Fact]
    public void Balance_answers_mt_sics_with_the_plants_mass()
    {
        var (clock, driver, plant, generator) = Pump(stepsPerMl: 1000);
        var balance = new SimBalance(plant, clock, seed: 1, noiseGrams: 0);
        driver.Enable();
        generator.TryIssue(100, 1000); // 100 uL = 0.0998 g
        clock.Advance(99_000);
        Assert.Equal("S D       0.0998 g", balance.Respond("SI"));
        clock.Advance(5_000_000);
        Assert.Equal("S S       0.0998 g", balance.Respond("si"));
        Assert.Equal("Z A", balance.Respond("Z"));
        Assert.Equal("S S       0.0000 g", balance.Respond("SI"));
        Assert.Equal("ES", balance.Respond("XYZ"));
    }
}
