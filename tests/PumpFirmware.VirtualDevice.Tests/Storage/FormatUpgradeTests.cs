using System.Reflection;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Tests.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Storage;

/// <summary>The stored format is versioned and a store written by older firmware still boots: the stores in
/// tests/Fixtures/store-layout1 and store-layout2 were written by the firmware of image layouts 1 and 2 themselves
/// (how: their README.md), not built by this test, so the test cannot drift with the code it checks. Both ran the
/// same day, so both answer the same STATUS?.</summary>
public sealed class FormatUpgradeTests
{
    private static string RepoRoot => typeof(FormatUpgradeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    private static string FixtureDir(int layout) => Path.Combine(RepoRoot, "tests", "Fixtures", "store-layout" + layout);

    private static MemoryRecordStore LoadFixture(int layout)
    {
        var store = new MemoryRecordStore();
        foreach (string path in Directory.GetFiles(FixtureDir(layout), "record-*.bin"))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            int id = int.Parse(name.Substring("record-".Length), System.Globalization.CultureInfo.InvariantCulture);
            byte[] bytes = File.ReadAllBytes(path);
            store.Write(id, bytes, 0, bytes.Length);
        }
        return store;
    }

    private static string Field(string line, string key)
    {
        foreach (string part in line.Split(' '))
        {
            if (part.StartsWith(key + "=", StringComparison.Ordinal)) return part.Substring(key.Length + 1);
        }
        throw new Xunit.Sdk.XunitException($"no {key}= in '{line}'");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_store_written_by_older_firmware_boots_with_its_program_and_counters(int layout)
    {
        string oldStatus = File.ReadAllLines(Path.Combine(FixtureDir(layout), "status.txt"))[0];
        // The fixture is of the old format: each snapshot's image (after the 16-byte header and its length) starts with its layout.
        foreach (string copy in new[] { "record-1.bin", "record-2.bin" })
        {
            Assert.Equal(layout, BitConverter.ToInt32(File.ReadAllBytes(Path.Combine(FixtureDir(layout), copy)), Journal.SnapshotHeaderBytes + 4));
        }
        Assert.True(layout < PumpFirmware.App.PumpApplication.StateFormatVersion);
        var bench = new PumpBench(new VirtualPumpOptions { Store = LoadFixture(layout) });

        Assert.Equal(JournalOpenResult.Restored, bench.Pump.LastRestore);
        // The boot's first commit is a snapshot, in the current layout.
        Assert.Equal(PumpFirmware.App.PumpApplication.StateFormatVersion, BitConverter.ToInt32(bench.Pump.Persistence.Durable.Image, 0));
        string status = bench.Status("STATUS?");
        foreach (string key in new[] { "state", "delivered_ul", "steps", "reservoir_ul", "program_crc", "alarms" })
        {
            Assert.Equal(Field(oldStatus, key), Field(status, key));
        }
        Assert.Contains("daily_ug=", bench.Status("PROG?"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void After_the_upgrade_the_pump_runs_on_and_a_power_cut_restores_the_current_layout(int layout)
    {
        var bench = new PumpBench(new VirtualPumpOptions { Store = LoadFixture(layout) });
        long stepsAtBoot = bench.Pump.App.Controller.TotalSteps;

        bench.Pump.Advance(3_600_000_000); // an hour of the night rate: a few dozen commits
        long steps = bench.Pump.App.Controller.TotalSteps;
        Assert.True(steps > stepsAtBoot);
        Assert.Equal(PumpFirmware.App.PumpApplication.StateFormatVersion, BitConverter.ToInt32(bench.Pump.Persistence.Durable.Image, 0));

        bench.Pump.PowerCycle(1_000_000);
        Assert.Equal(JournalOpenResult.Restored, bench.Pump.LastRestore);
        long restored = bench.Pump.App.Controller.TotalSteps;
        // At most the allowance (64 steps = 1 uL at 64000 steps/mL) may be lost from the counters at a cut.
        Assert.InRange(restored, steps - 64, steps);
        Assert.Equal("RUNNING", Field(bench.Status("STATUS?"), "state"));
    }
}
