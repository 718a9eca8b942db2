using System.Text;
using PumpFirmware.Protocol;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

public class LineAssemblerTests
{
    /// <summary>Feeds the text byte by byte and returns what came out: lines as text, too-long as "#TOO_LONG".</summary>
    private static List<string> Feed(LineAssembler assembler, string text)
    {
        var output = new List<string>();
        foreach (byte b in Encoding.Latin1.GetBytes(text))
        {
            int result = assembler.Push(b);
            if (result == LineAssembler.LineReady) output.Add(new string(assembler.Buffer, 0, assembler.Length));
            if (result == LineAssembler.LineTooLong) output.Add("#TOO_LONG");
            if (result == LineAssembler.LineOverrun) output.Add("#OVERRUN");
        }
        return output;
    }

    [Theory]
    [InlineData("STATUS?\n", new[] { "STATUS?" })]
    [InlineData("STATUS?\r\n", new[] { "STATUS?" })]
    [InlineData("STATUS?\r", new[] { "STATUS?" })]          // CR alone ends a line: picocom, minicom, screen
    [InlineData("A\nB\r\nC\rD\n", new[] { "A", "B", "C", "D" })]
    [InlineData("\n\r\n\n\r\r", new string[0])]           // empty lines get nothing
    [InlineData("A\rB\n", new[] { "A", "B" })]              // a CR not before LF ends the line too
    [InlineData("A\r\r\n", new[] { "A" })]                  // CR, then an empty line ended by CR LF
    [InlineData("A\n\rB\n", new[] { "A", "B" })]            // LF CR is two line ends (the second ends an empty line)
    [InlineData("\r\n", new string[0])]
    [InlineData("A", new string[0])]                         // no line end, no line yet
    public void Splits_lines_by_the_framing_rules(string input, string[] expected)
    {
        Assert.Equal(expected, Feed(new LineAssembler(), input));
    }

    [Theory]
    [InlineData(" \n")]
    [InlineData("\t\r")]
    [InlineData(" \t  \t \r\n")]
    public void A_line_of_only_spaces_or_tabs_is_an_empty_line(string input)
    {
        Assert.Equal(new[] { "NEXT" }, Feed(new LineAssembler(), input + "NEXT\n"));
    }

    [Fact]
    public void The_LF_of_a_CR_LF_pair_split_across_reads_still_ends_only_one_line()
    {
        var assembler = new LineAssembler();
        Assert.Equal(new[] { "A" }, Feed(assembler, "A\r"));
        Assert.Equal(new[] { "B" }, Feed(assembler, "\nB\n"));
    }

    [Fact]
    public void A_line_of_exactly_200_characters_is_accepted_with_or_without_CR()
    {
        string line = new string('X', 200);
        Assert.Equal(new[] { line }, Feed(new LineAssembler(), line + "\n"));
        Assert.Equal(new[] { line }, Feed(new LineAssembler(), line + "\r\n"));
    }

    [Fact]
    public void A_line_of_201_characters_is_reported_once_and_discarded_to_the_next_LF()
    {
        string input = new string('X', 201) + new string('Y', 500) + "\nNEXT\n";
        Assert.Equal(new[] { "#TOO_LONG", "NEXT" }, Feed(new LineAssembler(), input));
    }

    [Fact]
    public void A_too_long_line_is_discarded_up_to_a_CR_as_well()
    {
        string input = new string('X', 201) + "\rNEXT\r";
        Assert.Equal(new[] { "#TOO_LONG", "NEXT" }, Feed(new LineAssembler(), input));
    }

    [Fact]
    public void A_line_that_bytes_may_be_missing_from_is_answered_overrun_not_spliced()
    {
        // "STATUS?" then a gap (the rest of the line and its end lost), then the tail of another line.
        var assembler = new LineAssembler();
        Assert.Empty(Feed(assembler, "STAT"));
        assembler.MarkInputLost();
        Assert.Equal(new[] { "#OVERRUN", "NEXT" }, Feed(assembler, "OP\nNEXT\n"));
    }

    [Fact]
    public void A_gap_at_a_line_boundary_marks_the_next_line_once()
    {
        var assembler = new LineAssembler();
        Assert.Equal(new[] { "A" }, Feed(assembler, "A\n"));
        assembler.MarkInputLost();
        Assert.Equal(new[] { "#OVERRUN", "B" }, Feed(assembler, "TAIL\nB\n"));
    }

    [Fact]
    public void A_too_long_line_with_a_gap_gets_one_answer()
    {
        var assembler = new LineAssembler();
        assembler.MarkInputLost();
        Assert.Equal(new[] { "#TOO_LONG", "B" }, Feed(assembler, new string('X', 300) + "\nB\n"));
    }

    [Fact]
    public void With_echo_off_nothing_is_echoed_and_backspace_is_a_character()
    {
        var assembler = new LineAssembler();
        var (lines, echo) = FeedWithEcho(assembler, "AB\bC\u007F\r\n");
        Assert.Equal(new[] { "AB\bC\u007F" }, lines);
        Assert.Equal("", echo);
    }

    [Fact]
    public void With_echo_on_characters_are_echoed_line_ends_become_CR_LF_and_backspace_erases()
    {
        var assembler = new LineAssembler { Echo = true };
        var (lines, echo) = FeedWithEcho(assembler, "STX\bA\u007FATUS?\r\n\b*I\n");
        Assert.Equal(new[] { "STATUS?", "*I" }, lines);
        Assert.Equal("STX\b \bA\b \bATUS?\r\n*I\r\n", echo);   // a backspace at the line start echoes nothing
    }

    private static (List<string> Lines, string Echo) FeedWithEcho(LineAssembler assembler, string text)
    {
        var lines = new List<string>();
        var echo = new StringBuilder();
        foreach (byte b in Encoding.Latin1.GetBytes(text))
        {
            int result = assembler.Push(b);
            for (int i = 0; i < assembler.EchoCount; i++) echo.Append((char)assembler.EchoBytes[i]);
            if (result == LineAssembler.LineReady) lines.Add(new string(assembler.Buffer, 0, assembler.Length));
        }
        return (lines, echo.ToString());
    }

    [Fact]
    public void Bytes_are_kept_as_chars_0_to_255()
    {
        var output = Feed(new LineAssembler(), "\u0000\u007F\u00FF\n");
        Assert.Equal(new[] { "\u0000\u007F\u00FF" }, output);
    }
}
