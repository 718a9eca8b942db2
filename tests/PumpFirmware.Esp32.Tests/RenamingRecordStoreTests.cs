using CsCheck;
using PumpFirmware.Hal.Esp32.Logic;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>The littlefs record store's write-then-rename protocol, on a temporary folder.</summary>
public class RenamingRecordStoreTests
{
    private static byte[] Bytes(params int[] values) => values.Select(v => (byte)v).ToArray();

    [Fact]
    public void Write_then_read_round_trips_and_a_missing_file_reads_minus_one()
    {
        using var folder = new TempFolder();
        var store = new RenamingRecordStore(new HostFileSystem(), folder.Root);
        var buffer = new byte[16];
        Assert.Equal(-1, store.Read(3, buffer));
        store.Write(3, Bytes(9, 1, 2, 3, 9), 1, 3);
        Assert.Equal(3, store.Read(3, buffer));
        Assert.Equal(Bytes(1, 2, 3), buffer[..3]);
        Assert.True(File.Exists(Path.Combine(folder.Path, "r3.bin")));
        Assert.False(File.Exists(Path.Combine(folder.Path, "r3.tmp")));
    }

    [Fact]
    public void A_small_buffer_gets_the_prefix_and_the_full_length()
    {
        using var folder = new TempFolder();
        var store = new RenamingRecordStore(new HostFileSystem(), folder.Root);
        store.Write(0, Bytes(1, 2, 3, 4, 5), 0, 5);
        var small = new byte[2];
        Assert.Equal(5, store.Read(0, small));
        Assert.Equal(Bytes(1, 2), small);
    }

    [Fact]
    public void Rewrite_replaces_append_extends_delete_removes()
    {
        using var folder = new TempFolder();
        var store = new RenamingRecordStore(new HostFileSystem(), folder.Root);
        var buffer = new byte[16];
        store.Write(1, Bytes(1, 2, 3, 4), 0, 4);
        store.Write(1, Bytes(7), 0, 1);
        Assert.Equal(1, store.Read(1, buffer));
        store.Append(1, Bytes(8, 9), 0, 2);
        Assert.Equal(3, store.Read(1, buffer));
        Assert.Equal(Bytes(7, 8, 9), buffer[..3]);
        store.Append(2, Bytes(5), 0, 1); // append creates
        Assert.Equal(1, store.Read(2, buffer));
        store.Delete(1);
        store.Delete(1); // no error the second time
        Assert.Equal(-1, store.Read(1, buffer));
        Assert.Equal(1, store.Read(2, buffer));
    }

    [Fact]
    public void Bad_arguments_throw_and_leave_no_file()
    {
        using var folder = new TempFolder();
        var store = new RenamingRecordStore(new HostFileSystem(), folder.Root);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Write(-1, Bytes(1), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Write(1, Bytes(1), 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Append(1, Bytes(1), -1, 1));
        Assert.Throws<ArgumentNullException>(() => store.Write(1, null!, 0, 0));
        Assert.Throws<ArgumentNullException>(() => store.Read(1, null!));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    // files left by a cut (tmp, old), expected content after recovery (null = no file)
    [InlineData(new byte[] { 2, 2 }, new byte[] { 1 }, new byte[] { 2, 2 })]  // cut between the renames: the tmp is whole
    [InlineData(null, new byte[] { 1 }, new byte[] { 1 })]                     // old set aside, no tmp: put it back
    [InlineData(new byte[] { 2 }, null, null)]                                 // a first write cut: the tmp may be partial
    public void Leftovers_of_a_cut_rewrite_are_repaired_without_guessing(byte[]? tmp, byte[]? old, byte[]? expected)
    {
        using var folder = new TempFolder();
        if (tmp != null) File.WriteAllBytes(Path.Combine(folder.Path, "r4.tmp"), tmp);
        if (old != null) File.WriteAllBytes(Path.Combine(folder.Path, "r4.old"), old);
        var store = new RenamingRecordStore(new HostFileSystem(), folder.Root);
        var buffer = new byte[4];
        int length = store.Read(4, buffer);
        if (expected == null)
        {
            Assert.Equal(-1, length);
        }
        else
        {
            Assert.Equal(expected, buffer[..length]);
        }

        Assert.Equal(expected == null ? 0 : 1, Directory.GetFiles(folder.Path).Length);
    }

    [Fact]
    public void A_power_cut_at_any_point_of_a_rewrite_leaves_the_old_or_the_new_content_whole()
    {
        var gen = Gen.Select(Gen.Int[0, 6], Gen.Byte.Array[1, 40], Gen.Byte.Array[0, 40], Gen.Int[0, 40]);
        gen.Sample((cutAfter, oldData, newData, partial) =>
        {
            using var folder = new TempFolder();
            new RenamingRecordStore(new HostFileSystem(), folder.Root).Write(7, oldData, 0, oldData.Length);

            var cutting = new RenamingRecordStore(new PowerCutFileSystem(new HostFileSystem(), cutAfter, partial), folder.Root);
            bool cut = false;
            try
            {
                cutting.Write(7, newData, 0, newData.Length);
            }
            catch (PowerCutFileSystem.PowerCut)
            {
                cut = true;
            }

            // Reboot: a fresh store on the same folder.
            var buffer = new byte[64];
            int length = new RenamingRecordStore(new HostFileSystem(), folder.Root).Read(7, buffer);
            var read = buffer[..Math.Max(0, length)];
            if (!cut)
            {
                Assert.Equal(newData, read);
            }
            else
            {
                Assert.True(read.SequenceEqual(oldData) || read.SequenceEqual(newData),
                    $"cut after {cutAfter} ops left {length} bytes that are neither old nor new");
            }
        }, iter: 150);
    }

    [Fact]
    public void Each_crash_point_is_really_reached_by_the_test_above()
    {
        // Six medium-changing operations per rewrite of an existing file: recovery's two
        // deletes (tmp, old), write tmp, rename bin to old, rename tmp to bin, delete old.
        for (int cutAfter = 0; cutAfter < 6; cutAfter++)
        {
            using var folder = new TempFolder();
            new RenamingRecordStore(new HostFileSystem(), folder.Root).Write(7, Bytes(1), 0, 1);
            var cutting = new RenamingRecordStore(new PowerCutFileSystem(new HostFileSystem(), cutAfter, 0), folder.Root);
            Assert.Throws<PowerCutFileSystem.PowerCut>(() => cutting.Write(7, Bytes(2, 2), 0, 2));
        }
    }
}
