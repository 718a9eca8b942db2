using PumpFirmware.Therapy;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>PROTOCOL.md "Alarms": the ten codes (REFILL_GAP, ERI and EOS appended after the first seven, whose bits keep their meaning), their protocol words, in table order, as bits.</summary>
public class AlarmCodeTests
{
    public static readonly TheoryData<int, int, string> Table = new()
    {
        // index in the PROTOCOL.md table, bit (1 << index), protocol word
        { 0, AlarmCode.LowReservoir, "LOW_RESERVOIR" },
        { 1, AlarmCode.Empty, "EMPTY" },
        { 2, AlarmCode.Stall, "STALL" },
        { 3, AlarmCode.Occlusion, "OCCLUSION" },
        { 4, AlarmCode.DoseLimit, "DOSE_LIMIT" },
        { 5, AlarmCode.LowBattery, "LOW_BATTERY" },
        { 6, AlarmCode.Critical, "CRITICAL" },
        { 7, AlarmCode.RefillGap, "REFILL_GAP" },
        { 8, AlarmCode.Eri, "ERI" },
        { 9, AlarmCode.Eos, "EOS" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_code_is_bit_index_of_the_table_and_has_its_protocol_word(int index, int bit, string word)
    {
        Assert.Equal(1 << index, bit);
        Assert.Equal(bit, AlarmCode.FromIndex(index));
        Assert.Equal(word, AlarmCode.Name(bit));
        Assert.True(AlarmCode.TryParse(word, out int parsed));
        Assert.Equal(bit, parsed);
        Assert.Equal(word, AlarmCode.FormatList(bit));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AlarmCode.Stall | AlarmCode.Occlusion)]   // a set is not one code
    [InlineData(1024)]                                     // beyond the table
    [InlineData(AlarmCode.Eri | AlarmCode.Eos)]
    public void Anything_but_one_code_is_named_NONE(int code)
    {
        Assert.Equal("NONE", AlarmCode.Name(code));
    }

    [Theory]
    [InlineData("stall", AlarmCode.Stall)]
    [InlineData("Dose_Limit", AlarmCode.DoseLimit)]
    [InlineData("low_battery", AlarmCode.LowBattery)]     // has an 'a', the first letter of the range
    [InlineData("oCCLUSIOn", AlarmCode.Occlusion)]
    public void Names_parse_case_insensitively(string text, int code)
    {
        Assert.True(AlarmCode.TryParse(text, out int parsed));
        Assert.Equal(code, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("NONE")]            // the word for no alarm is not an alarm (ALARM:ACK NONE is refused)
    [InlineData("STAL")]
    [InlineData("STALLS")]
    [InlineData("STALX")]           // same length as STALL, last letter differs
    [InlineData("EMPTZ")]
    [InlineData("low battery")]
    [InlineData("{MPTY")]           // '{' is 'z' + 1, not a letter: never folded onto '['
    public void Anything_else_does_not_parse_and_gives_0(string? text)
    {
        Assert.False(AlarmCode.TryParse(text!, out int parsed));
        Assert.Equal(AlarmCode.None, parsed);
    }

    [Fact]
    public void A_set_prints_NONE_or_its_codes_in_table_order_with_commas()
    {
        Assert.Equal("NONE", AlarmCode.FormatList(AlarmCode.None));
        Assert.Equal("STALL,DOSE_LIMIT", AlarmCode.FormatList(AlarmCode.DoseLimit | AlarmCode.Stall));
        Assert.Equal("LOW_RESERVOIR,EMPTY,STALL,OCCLUSION,DOSE_LIMIT,LOW_BATTERY,CRITICAL,REFILL_GAP,ERI,EOS", AlarmCode.FormatList(AlarmCode.AllMask));
        // Bits outside the table are not alarms: ignored.
        Assert.Equal("NONE", AlarmCode.FormatList(1024));
        Assert.Equal("EMPTY", AlarmCode.FormatList(1024 | AlarmCode.Empty));
        Assert.Equal("LOW_RESERVOIR,EMPTY,STALL,OCCLUSION,DOSE_LIMIT,LOW_BATTERY,CRITICAL,REFILL_GAP,ERI,EOS", AlarmCode.FormatList(2047));
    }

    [Fact]
    public void The_first_seven_codes_keep_their_bits_and_only_eos_of_the_new_ones_stops_delivery()
    {
        Assert.Equal(127, AlarmCode.LowReservoir | AlarmCode.Empty | AlarmCode.Stall | AlarmCode.Occlusion | AlarmCode.DoseLimit
            | AlarmCode.LowBattery | AlarmCode.Critical);
        Assert.Equal(AlarmCode.Empty | AlarmCode.Stall | AlarmCode.Occlusion | AlarmCode.Critical | AlarmCode.Eos, AlarmCode.StoppingMask);
        Assert.Equal(0, AlarmCode.StoppingMask & (AlarmCode.Eri | AlarmCode.RefillGap));
    }

    [Fact]
    public void The_longest_list_is_86_characters_written_at_the_offset_given()
    {
        var buffer = new char[5 + 90];
        for (int i = 0; i < buffer.Length; i++) buffer[i] = '.';
        int n = AlarmCode.FormatList(AlarmCode.AllMask, buffer, 5);
        // 13+5+5+9+10+11+8+10+3+3 = 77 letters and 9 commas
        Assert.Equal(86, n);
        Assert.Equal(".....LOW_RESERVOIR,EMPTY,STALL,OCCLUSION,DOSE_LIMIT,LOW_BATTERY,CRITICAL,REFILL_GAP,ERI,EOS", new string(buffer, 0, 5 + n));
        Assert.Equal('.', buffer[5 + n]);

        n = AlarmCode.FormatList(AlarmCode.None, buffer, 3);
        Assert.Equal(4, n);
        Assert.Equal("...NONE", new string(buffer, 0, 3 + n));
    }
}
