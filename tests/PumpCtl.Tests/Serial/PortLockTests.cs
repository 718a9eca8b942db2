// One program per port, as Linux serial tools agree: a UUCP lock file LCK..<name> holding the
// PID, and an advisory flock on the device. A second opener is refused with a message naming
// the holder; a port that does not exist or may not be opened says so and what to do. The
// lock folder is a temporary one here so the tests never meet a real /var/lock entry.
using System.Diagnostics;
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Serial;

public sealed class PortLockTests : IDisposable
{
    private readonly string _locks = Path.Combine(Path.GetTempPath(), "pumpctl-locks-" + Guid.NewGuid().ToString("N"));
    private readonly PtyDevice _device = new(_ => new[] { "OK" });

    public PortLockTests() => Directory.CreateDirectory(_locks);

    public void Dispose()
    {
        _device.Dispose();
        Directory.Delete(_locks, true);
    }

    private string LockFile => Path.Combine(_locks, PortLock.LockName(_device.SlavePath));

    [Theory]
    [InlineData("/dev/ttyUSB0", "LCK..ttyUSB0")]
    [InlineData("/dev/pts/5", "LCK..pts_5")]
    [InlineData("/tmp/pump", "LCK..pump")]
    public void Lock_files_are_named_as_the_serial_tools_name_them(string device, string name) =>
        Assert.Equal(name, PortLock.LockName(device));

    [Fact]
    public void The_lock_file_holds_the_PID_while_the_port_is_open_and_is_removed_after()
    {
        using (var port = new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks }))
        {
            Assert.Equal(Environment.ProcessId.ToString().PadLeft(10) + "\n", File.ReadAllText(LockFile));
        }
        Assert.False(File.Exists(LockFile));
        using var again = new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks });
    }

    [Fact]
    public void A_second_opener_is_refused_naming_the_holder()
    {
        using var first = new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks });
        var e = Assert.Throws<IOException>(() => new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks }));
        Assert.Contains($"{_device.SlavePath} is in use by PID {Environment.ProcessId}", e.Message);
        Assert.Contains("close that program first", e.Message);
    }

    [Fact]
    public void Without_a_writable_lock_folder_the_flock_alone_refuses_a_second_opener()
    {
        using var first = new SerialPortLine(_device.SlavePath, lockFolders: Array.Empty<string>());
        var e = Assert.Throws<IOException>(() => new SerialPortLine(_device.SlavePath, lockFolders: Array.Empty<string>()));
        Assert.Contains($"is in use by PID {Environment.ProcessId}", e.Message);
    }

    [Fact]
    public void A_link_to_the_port_is_the_same_port()
    {
        string link = Path.Combine(_locks, "pump");
        File.CreateSymbolicLink(link, _device.SlavePath);
        using var first = new SerialPortLine(link, lockFolders: new[] { _locks });
        var e = Assert.Throws<IOException>(() => new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks }));
        Assert.Contains("is in use by", e.Message);
    }

    [Fact]
    public void Another_program_holding_the_port_is_named_with_its_PID_and_name()
    {
        // What picocom does: open the tty and take an exclusive flock on it.
        using Process holder = Process.Start(new ProcessStartInfo("python3", new[]
        {
            "-c", "import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDWR|os.O_NOCTTY); fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
            _device.SlavePath,
        })
        { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
            var e = Assert.Throws<IOException>(() => new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks }));
            Assert.Contains($"is in use by PID {holder.Id} (python3)", e.Message);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    [Fact]
    public void A_live_lock_file_of_another_program_refuses_and_a_stale_one_is_taken_over()
    {
        using Process other = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            File.WriteAllText(LockFile, other.Id.ToString().PadLeft(10) + "\n");
            var e = Assert.Throws<IOException>(() => new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks }));
            Assert.Contains($"is in use by PID {other.Id} (sleep) (lock file {LockFile})", e.Message);
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
        // Its owner is gone: the lock file is stale and the port opens.
        using var port = new SerialPortLine(_device.SlavePath, lockFolders: new[] { _locks });
        Assert.Equal(Environment.ProcessId.ToString().PadLeft(10) + "\n", File.ReadAllText(LockFile));
    }

    [Fact]
    public void A_port_that_does_not_exist_says_so_and_where_to_look()
    {
        var e = Assert.Throws<IOException>(() => new SerialPortLine("/dev/ttyUSB-pumpctl-none", lockFolders: new[] { _locks }));
        Assert.StartsWith("/dev/ttyUSB-pumpctl-none does not exist; 'pumpctl ports' lists this machine's ports", e.Message);
        Assert.DoesNotContain("denied", e.Message);
    }

    [Fact]
    public void No_permission_says_how_to_get_it()
    {
        // The tests run as root, who may open anything; the message for EACCES is checked as text.
        string message = PortLock.OpenFailure("/dev/null", "/dev/null", 13);
        Assert.Equal("no permission to open /dev/null; serial ports belong to the group 'dialout': " +
            "add yourself with 'sudo usermod -aG dialout $USER', then log out and in again", message);
    }
}
