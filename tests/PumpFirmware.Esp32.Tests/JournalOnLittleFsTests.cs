using CsCheck;
using PumpFirmware.Hal.Esp32.Logic;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The core's journal (two snapshot copies + deltas) on the ESP32's record store protocol,
/// on a temporary folder, with a power cut at every file operation: a reboot always restores a
/// state that was committed, or the one being committed, never a mix and never "corrupt".</summary>
public class JournalOnLittleFsTests
{
    private static byte[] Payload(int tag, int length) => Enumerable.Range(0, length).Select(i => (byte)(tag * 31 + i)).ToArray();

    // The history: snapshot S1, deltas D1 D2, snapshot S2, delta D3. After each step, the state a
    // reboot may show is the list of payloads written since the newest snapshot, inclusive.
    private static readonly (bool Snapshot, byte[] Payload)[] History =
    {
        (true, Payload(1, 300)),
        (false, Payload(2, 20)),
        (false, Payload(3, 25)),
        (true, Payload(4, 280)),
        (false, Payload(5, 30)),
    };

    private static List<string> StateAfter(int steps)
    {
        var state = new List<string>();
        for (int i = 0; i < steps; i++)
        {
            if (History[i].Snapshot)
            {
                state.Clear();
            }

            state.Add(Convert.ToHexString(History[i].Payload));
        }

        return state;
    }

    private static List<string> Reboot(string root)
    {
        var journal = new Journal(new RenamingRecordStore(new HostFileSystem(), root), 1, 1024, 4096);
        var result = journal.Open();
        Assert.NotEqual(JournalOpenResult.Corrupt, result);
        var state = new List<string>();
        if (result == JournalOpenResult.Empty)
        {
            return state;
        }

        state.Add(Convert.ToHexString(journal.OpenPayload, Journal.SnapshotHeaderBytes, journal.OpenPayloadLength));
        for (int i = 0; i < journal.OpenDeltaCount; i++)
        {
            journal.GetOpenDelta(i, out int offset, out int length);
            state.Add(Convert.ToHexString(journal.OpenDeltaBuffer, offset, length));
        }

        return state;
    }

    [Fact]
    public void A_power_cut_at_any_file_operation_restores_a_committed_state()
    {
        // Count the file operations of an uncut run first, so every cut point is visited.
        int totalOperations = 0;
        using (var folder = new TempFolder())
        {
            var counting = new PowerCutFileSystem(new HostFileSystem(), int.MaxValue, 0);
            Run(counting, folder.Root, out _);
            totalOperations = counting.Operations;
            Assert.Equal(StateAfter(History.Length), Reboot(folder.Root));
        }

        Assert.True(totalOperations >= 12, $"only {totalOperations} operations");
        Gen.Int[0, 40].Sample(partial =>
        {
            for (int cut = 0; cut < totalOperations; cut++)
            {
                using var folder = new TempFolder();
                Run(new PowerCutFileSystem(new HostFileSystem(), cut, partial), folder.Root, out int completed);
                var restored = Reboot(folder.Root);
                var before = StateAfter(completed);
                var after = StateAfter(Math.Min(completed + 1, History.Length));
                Assert.True(restored.SequenceEqual(before) || restored.SequenceEqual(after),
                    $"cut at operation {cut} (partial {partial}) after {completed} steps restored {restored.Count} records");
            }
        }, iter: 6);
    }

    private static void Run(IFileSystem fileSystem, string root, out int completed)
    {
        completed = 0;
        var journal = new Journal(new RenamingRecordStore(fileSystem, root), 1, 1024, 4096);
        try
        {
            Assert.Equal(JournalOpenResult.Empty, journal.Open());
            foreach (var (snapshot, payload) in History)
            {
                bool ok = snapshot ? journal.WriteSnapshot(payload, 0, payload.Length) : journal.AppendDelta(payload, 0, payload.Length);
                Assert.True(ok);
                completed++;
            }
        }
        catch (PowerCutFileSystem.PowerCut)
        {
        }
    }
}
