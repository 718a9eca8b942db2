// `pumpctl log --balance`: a balance that does not answer fails the command at the start
// (exit 3), before the pump is touched or a file written, instead of a log whose mass column
// turns out empty at the end.
using PumpCtl.Cli;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Cli;

[Collection("Console")]
public sealed class LogBalanceCheckTests
{
    [Theory]
    [InlineData(null, "did not answer SI within 2 s")]
    [InlineData("ES", "gave no mass")]
    public void A_silent_or_refusing_balance_fails_log_at_the_start_with_exit_3(string? reply, string expected)
    {
        var pump = new ScriptedLine(_ => new[] { "OK" });
        var balance = new ScriptedLine(_ => reply == null ? Array.Empty<string>() : new[] { reply });
        string csv = Path.Combine(Path.GetTempPath(), "pumpctl-balcheck-" + Guid.NewGuid().ToString("N") + ".csv");
        var r = ConsoleCapture.Run(new[] { "log", "--port", "/dev/pump", "--period", "30", "--out", csv, "--duration", "1h", "--balance", "/dev/balance" }, pump, balance);
        Assert.Equal(ExitCodes.Communication, r.Exit);
        Assert.Contains(expected, r.Err);
        Assert.Contains("nothing was logged", r.Err);
        Assert.Equal(new[] { "SI" }, balance.Written);
        Assert.Empty(pump.Written);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void A_balance_whose_port_fails_fails_the_same_way()
    {
        var pump = new ScriptedLine(_ => new[] { "OK" });
        var balance = new ScriptedLine(_ => Array.Empty<string>()) { Broken = true };
        string csv = Path.Combine(Path.GetTempPath(), "pumpctl-balcheck-" + Guid.NewGuid().ToString("N") + ".csv");
        var r = ConsoleCapture.Run(new[] { "log", "--port", "/dev/pump", "--period", "30", "--out", csv, "--duration", "1h", "--balance", "/dev/balance" }, pump, balance);
        Assert.Equal(ExitCodes.Communication, r.Exit);
        Assert.Contains("the balance on /dev/balance cannot be opened or written", r.Err);
        Assert.Empty(pump.Written);
    }
}
