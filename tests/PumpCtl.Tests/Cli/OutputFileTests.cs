// Output files are whole or absent: a writer that fails leaves neither a half file under the
// real name nor its temporary file; `log` writes <file>.partial and renames it when the run
// ends, so a CSV under the asked name is always a finished run.
using PumpCtl.Cli;
using PumpCtl.Tests.Fakes;
using PumpFirmware.VirtualDevice.Files;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class OutputFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pumpctl-files-" + Guid.NewGuid().ToString("N"));

    public OutputFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_file_appears_only_when_it_is_complete()
    {
        string path = Path.Combine(_dir, "summary.json");
        File.WriteAllText(path, "the previous result");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, temp =>
        {
            File.WriteAllText(temp, "{ \"half\": ");
            throw new IOException("disk full");
        }));

        Assert.Equal("the previous result", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir));

        AtomicFile.WriteAllText(path, "{ }\n");
        Assert.Equal("{ }\n", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir));
    }

    [Fact]
    public void The_temporary_name_keeps_the_extension_and_is_hidden_beside_the_file()
    {
        string temp = AtomicFile.TemporaryPathFor(Path.Combine(_dir, "trumpet.png"));
        Assert.Equal(_dir, Path.GetDirectoryName(temp));
        Assert.StartsWith(".trumpet.", Path.GetFileName(temp));
        Assert.EndsWith(".partial.png", temp);
    }

    [Fact]
    public void Log_renames_its_partial_file_when_the_run_ends()
    {
        var clock = new FakeHostClock();
        string csv = Path.Combine(_dir, "run.csv");
        var (exit, _, err) = ConsoleCapture.Run(new[] { "log", "--port", "/dev/fakepump", "--period", "10", "--out", csv, "--duration", "2s" }, new FakePump(clock));
        // The real host clock ends the run; the fake pump answers at once.
        Assert.True(exit == ExitCodes.Ok, err);
        Assert.True(File.Exists(csv));
        Assert.False(File.Exists(csv + ".partial"));
    }

    [Fact]
    public void A_refused_log_leaves_no_file_at_all()
    {
        var pump = new FakePump(new FakeHostClock()) { TelAnswer = "ERR 422 period out of range" };
        string csv = Path.Combine(_dir, "run.csv");
        var (exit, _, _) = ConsoleCapture.Run(new[] { "log", "--port", "/dev/fakepump", "--period", "10", "--out", csv }, pump);
        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void The_rows_of_a_run_that_did_not_finish_are_not_overwritten_unasked()
    {
        string csv = Path.Combine(_dir, "run.csv");
        File.WriteAllText(csv + ".partial", "host_utc,seq\r\nx,1\r\n");
        var (exit, _, err) = ConsoleCapture.Run(new[] { "log", "--port", "/dev/fakepump", "--period", "10", "--out", csv });
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("run.csv.partial exists (the rows of a run that did not finish); move it away or add --overwrite", err);
        Assert.Equal("host_utc,seq\r\nx,1\r\n", File.ReadAllText(csv + ".partial"));
    }
}
