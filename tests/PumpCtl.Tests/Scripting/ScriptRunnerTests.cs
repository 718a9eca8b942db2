// Scripts: comments and blanks skipped, lines sent in order, the run stops at the first ERR
// and names its line number; nothing after it is sent.
using PumpCtl.Scripting;
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Scripting;

public class ScriptRunnerTests
{
    private static readonly string[] Script =
    {
        "# program a baclofen rig",      // 1
        "AUTH 0000",                     // 2
        "",                              // 3
        "PROG:NEW   # start clean",      // 4
        "PROG:STEP 25:00 100",           // 5  malformed time: ERR 400
        "PROG:COMMIT ABCD",              // 6  never sent
    };

    [Fact]
    public void Parse_skips_comments_and_blanks_and_keeps_line_numbers()
    {
        IReadOnlyList<ScriptLine> lines = ScriptRunner.Parse(Script);
        Assert.Equal(new[] { 2, 4, 5, 6 }, lines.Select(l => l.LineNumber));
        Assert.Equal("PROG:NEW", lines[1].Text);
    }

    [Fact]
    public void Stops_at_the_first_ERR_and_sends_nothing_after_it()
    {
        var port = new ScriptedLine(line => line.StartsWith("PROG:STEP 25:00") ? new[] { "ERR 400 malformed time 25:00" } : new[] { "OK" });
        var replies = new List<string>();

        ScriptResult result = ScriptRunner.Run(new PumpClient(port), ScriptRunner.Parse(Script), (_, r) => replies.Add(r.Status));

        Assert.False(result.Succeeded);
        Assert.Equal(5, result.Failed!.LineNumber);
        Assert.Equal("ERR 400 malformed time 25:00", result.FailedReply!.Status);
        Assert.Equal(new[] { "AUTH 0000", "PROG:NEW", "PROG:STEP 25:00 100" }, port.Written);
        Assert.Equal(3, result.Sent);
        Assert.Equal(new[] { "OK", "OK", "ERR 400 malformed time 25:00" }, replies);
    }

    [Fact]
    public void A_script_that_is_all_OK_succeeds_and_async_lines_are_kept_with_their_request()
    {
        var port = new ScriptedLine(line => line == "LOG? 1 2" ? new[] { "!LOG seq=1 t_ms=0 unix_s=0 type=BOOT", "!LOG seq=2 t_ms=5 unix_s=0 type=AUTH", "OK next_seq=3" } : new[] { "OK" });
        var seen = new List<DeviceReply>();
        ScriptResult result = ScriptRunner.Run(new PumpClient(port), ScriptRunner.Parse(new[] { "STATUS?", "LOG? 1 2" }), (_, r) => seen.Add(r));
        Assert.True(result.Succeeded);
        Assert.Equal(2, seen[1].AsyncLines.Count);
        Assert.Equal("OK next_seq=3", seen[1].Status);
    }

    [Fact]
    public void A_silent_device_is_an_IO_error_naming_the_line()
    {
        var port = new ScriptedLine(_ => Array.Empty<string>());
        var client = new PumpClient(port) { Timeout = TimeSpan.FromMilliseconds(10) };
        var e = Assert.Throws<IOException>(() => ScriptRunner.Run(client, ScriptRunner.Parse(new[] { "", "STATUS?" })));
        Assert.StartsWith("line 2 'STATUS?':", e.Message);
    }
}
