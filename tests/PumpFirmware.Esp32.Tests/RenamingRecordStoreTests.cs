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

    [Fact]
    public void A_whole_tmp_left_alone_by_a_cut_between_delete_and_rename_is_adopted()
    {
        using var folder = new TempFolder();
        var fs = new HostFileSystem();
        File.WriteAllBytes(Path.Combine(folder.Path, "r4.tmp"), Bytes(4, 4));
        var store = new RenamingRecordStore(fs, folder.Root);
        var buffer = new byte[4];
        Assert.Equal(2, store.Read(4, buffer));
        Assert.False(File.Exists(Path.Combine(folder.Path, "r4.tmp")));
    }

    [Fact]
    public void A_power_cut_at_any_point_of_a_rewrite_leaves_the_old_or_the_new_content_whole()
    {
        var gen = Gen.Select(Gen.Int[0, 4], Gen.Byte.Array[1, 40], Gen.Byte.Array[0, 40], Gen.Int[0, 40]);
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
        // Four file operations per rewrite: delete tmp, write tmp, delete bin, rename.
        for (int cutAfter = 0; cutAfter < 4; cutAfter++)
        {
            using var folder = new TempFolder();
            new RenamingRecordStore(new HostFileSystem(), folder.Root).Write(7, Bytes(1), 0, 1);
            var cutting = new RenamingRecordStore(new PowerCutFileSystem(new HostFileSystem(), cutAfter, 0), folder.Root);
            Assert.Throws<PowerCutFileSystem.PowerCut>(() => cutting.Write(7, Bytes(2, 2), 0, 2));
        }
    }
}
