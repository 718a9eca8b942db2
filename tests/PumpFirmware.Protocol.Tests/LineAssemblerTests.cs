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
        }
        return output;
    }

    [Theory]
    [InlineData("STATUS?\n", new[] { "STATUS?" })]
    [InlineData("STATUS?\r\n", new[] { "STATUS?" })]
    [InlineData("A\nB\r\nC\n", new[] { "A", "B", "C" })]
    [InlineData("\n\r\n\n", new string[0])]                 // empty lines get nothing
    [InlineData("A\rB\n", new[] { "A\rB" })]                 // a CR not before LF stays in the line
    [InlineData("A\r\r\n", new[] { "A\r" })]                 // only the CR right before LF is dropped
    [InlineData("\r\n", new string[0])]
    [InlineData("A", new string[0])]                         // no LF, no line yet
    [InlineData(" \n", new[] { " " })]                       // a line of spaces is not empty
    public void Splits_lines_by_the_framing_rules(string input, string[] expected)
    {
        Assert.Equal(expected, Feed(new LineAssembler(), input));
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
    public void A_CR_that_makes_a_full_line_too_long_counts()
    {
        string input = new string('X', 200) + "\rZ\nOK\n";
        Assert.Equal(new[] { "#TOO_LONG", "OK" }, Feed(new LineAssembler(), input));
    }

    [Fact]
    public void Bytes_are_kept_as_chars_0_to_255()
    {
        var output = Feed(new LineAssembler(), "\u0000\u007F\u00FF\n");
        Assert.Equal(new[] { "\u0000\u007F\u00FF" }, output);
    }
}
