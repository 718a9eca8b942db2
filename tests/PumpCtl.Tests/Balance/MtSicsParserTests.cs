// MT-SICS weight replies: stable, dynamic, units, and every error form.
using PumpCtl.Balance;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.Balance;

public class MtSicsParserTests
{
    [Theory]
    [InlineData("S S      12.3456 g", "12.3456", true)]
    [InlineData("S D      12.3461 g", "12.3461", false)]   // dynamic: kept, flagged unstable
    [InlineData("S S     -0.0012 g", "-0.0012", true)]
    [InlineData("S S   1234.5 mg", "1.2345", true)]
    [InlineData("S S   0.0123 kg", "12.3", true)]
    [InlineData("  S S 5 g  ", "5", true)]
    public void Reads_weights(string reply, string grams, bool stable)
    {
        MtSicsReading r = MtSicsParser.Parse(reply);
        Assert.Equal(decimal.Parse(grams, System.Globalization.CultureInfo.InvariantCulture), r.Grams);
        Assert.Equal(stable, r.Stable);
        Assert.Null(r.Error);
    }

    [Theory]
    [InlineData("S I", "busy")]
    [InlineData("S +", "overload")]
    [InlineData("S -", "underload")]
    [InlineData("ES", "syntax error")]
    [InlineData("ET", "transmission error")]
    [InlineData("EL", "logical error")]
    [InlineData("S S 12.3 lb", "unit 'lb'")]
    [InlineData("S S twelve g", "not a number")]
    [InlineData("S S 12.3", "without value and unit")]
    [InlineData("I4 A \"B021002593\"", "not an MT-SICS weight reply")]
    [InlineData("", "empty reply")]
    public void Errors_give_no_mass_and_say_why(string reply, string why)
    {
        MtSicsReading r = MtSicsParser.Parse(reply);
        Assert.False(r.HasValue);
        Assert.Contains(why, r.Error);
    }

    [Fact]
    public void The_balance_sends_SI_and_survives_a_vanished_port()
    {
        var port = new ScriptedLine(line => line == "SI" ? new[] { "S D      1.0000 g" } : new[] { "ES" });
        using var balance = new MtSicsBalance(port, "/dev/fake");
        Assert.Equal(1.0000m, balance.Read().Grams);
        Assert.Equal(new[] { "SI" }, port.Written);

        port.Broken = true;
        MtSicsReading lost = balance.Read();
        Assert.False(lost.HasValue);
        Assert.Equal(1, balance.Failures);
        Assert.Contains("gone", balance.LastError);
    }

    [Fact]
    public void A_silent_balance_is_a_failure_not_a_hang()
    {
        var port = new ScriptedLine(_ => Array.Empty<string>());
        using var balance = new MtSicsBalance(port, "/dev/fake") { Timeout = TimeSpan.FromMilliseconds(1) };
        Assert.Contains("no reply to SI", balance.Read().Error);
    }
}
