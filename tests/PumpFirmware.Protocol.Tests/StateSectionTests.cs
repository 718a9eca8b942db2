using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Storage;

namespace PumpFirmware.Protocol.Tests;

/// <summary>docs/STORAGE.md, image layout 3: a rule added after layout 2 keeps its state in a section of its own at
/// the end of the image ("u8 tag, u16 length, bytes", then tag 0). Older images load with every section cleared; an
/// image this firmware cannot fully account for fails its checks (CRITICAL), never drops a rule's state silently.</summary>
public sealed class StateSectionTests
{
    /// <summary>A rule's state: a counter and a flag, 5 bytes.</summary>
    private sealed class CounterSection : IStateSection
    {
        public CounterSection(int tag, int bytes = 5) { SectionTag = tag; SectionBytes = bytes; }
        public int SectionTag { get; }
        public int SectionBytes { get; }
        public int Counter;
        public bool Flag;
        public int Cleared;
        public int LoadedLength = -1;
        public bool ReadShort;

        public void SaveSection(StateWriter writer)
        {
            writer.WriteInt(Counter);
            writer.WriteBool(Flag);
        }

        public bool LoadSection(StateReader reader, int length)
        {
            LoadedLength = length;
            int counter = reader.ReadInt();
            bool flag = ReadShort ? false : reader.ReadBool();
            if (counter < 0) return false;
            Counter = counter;
            Flag = flag;
            return true;
        }

        public void ClearSection() { Counter = 0; Flag = false; Cleared++; }
    }

    private static TestDevice With(params IStateSection[] sections) =>
        new(configure: app => { foreach (var s in sections) app.AddStateSection(s); });

    private static byte[] Image(TestDevice device)
    {
        var writer = new StateWriter(new byte[PumpApplication.MaxStateBytes]);
        device.App.SaveState(writer);
        Assert.False(writer.Overflow);
        return writer.Buffer[..writer.Position];
    }

    private static bool Load(byte[] image, params IStateSection[] sections)
    {
        var device = new TestDevice(boot: false, configure: app => { foreach (var s in sections) app.AddStateSection(s); });
        return device.App.LoadState(new StateReader(image, 0, image.Length));
    }

    [Fact]
    public void A_section_is_saved_at_the_end_of_the_image_and_restored_at_the_next_boot()
    {
        var saved = new CounterSection(7) { Counter = 123456, Flag = true };
        byte[] image = Image(With(saved));

        Assert.Equal(PumpApplication.StateFormatVersion, BitConverter.ToInt32(image, 0));
        Assert.Equal(new byte[] { 7, 5, 0, 0x40, 0xE2, 0x01, 0x00, 1, 0 }, image[^9..]);
        var restored = new CounterSection(7);
        Assert.True(Load(image, restored));
        Assert.Equal(123456, restored.Counter);
        Assert.True(restored.Flag);
        Assert.Equal(5, restored.LoadedLength);
    }

    [Fact]
    public void An_image_with_no_sections_ends_with_the_end_tag_only()
    {
        byte[] image = Image(With());
        Assert.Equal(0, image[^1]);
        Assert.True(Load(image));
    }

    [Fact]
    public void A_layout_2_image_loads_with_every_section_cleared()
    {
        // Layout 2 is layout 3 without the sections and their end tag.
        byte[] layout3 = Image(With());
        byte[] layout2 = layout3[..^1];
        BitConverter.GetBytes(2).CopyTo(layout2, 0);
        var section = new CounterSection(7) { Counter = 99, Flag = true };

        Assert.True(Load(layout2, section));
        Assert.Equal(0, section.Counter);
        Assert.False(section.Flag);
        Assert.Equal(-1, section.LoadedLength);
    }

    [Fact]
    public void A_layout_3_image_without_a_registered_section_loads_it_cleared()
    {
        byte[] image = Image(With());
        var section = new CounterSection(9) { Counter = 5 };
        Assert.True(Load(image, section));
        Assert.Equal(0, section.Counter);
    }

    [Fact]
    public void A_section_this_firmware_does_not_know_fails_the_image()
    {
        byte[] image = Image(With(new CounterSection(7) { Counter = 1 }));
        Assert.False(Load(image));
        Assert.False(Load(image, new CounterSection(8)));
    }

    [Fact]
    public void A_section_that_comes_twice_fails_the_image()
    {
        byte[] once = Image(With(new CounterSection(7) { Counter = 1 }));
        byte[] section = once[^9..^1];
        byte[] twice = [.. once[..^1], .. section, 0];
        Assert.False(Load(twice, new CounterSection(7)));
    }

    [Fact]
    public void A_section_whose_reader_takes_other_than_its_length_fails_the_image()
    {
        byte[] image = Image(With(new CounterSection(7) { Counter = 1 }));
        Assert.False(Load(image, new CounterSection(7) { ReadShort = true }));
    }

    [Fact]
    public void A_section_whose_fields_fail_their_checks_fails_the_image_and_the_pump_boots_into_CRITICAL()
    {
        byte[] image = Image(With(new CounterSection(7) { Counter = -5 }));
        var device = new TestDevice(boot: false, configure: app => app.AddStateSection(new CounterSection(7)));
        Assert.False(device.App.LoadState(new StateReader(image, 0, image.Length)));
        device.App.Boot(ResetCause.Power, 0);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=ALARM", device.Link.TakeLines()[0]);
        Assert.Contains("alarms=CRITICAL", device.Status("ALARM?"));
    }

    [Fact]
    public void An_image_cut_inside_the_sections_fails()
    {
        byte[] image = Image(With(new CounterSection(7) { Counter = 1 }));
        for (int cut = 1; cut <= 9; cut++)
        {
            Assert.False(Load(image[..^cut], new CounterSection(7)));
        }
    }

    [Fact]
    public void A_section_that_writes_other_than_its_size_makes_the_image_not_fit()
    {
        var writer = new StateWriter(new byte[PumpApplication.MaxStateBytes]);
        With(new CounterSection(7, bytes: 4)).App.SaveState(writer);
        Assert.True(writer.Overflow);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(251)]
    public void A_tag_out_of_range_is_refused_when_the_application_is_built(int tag)
    {
        Assert.Throws<ArgumentException>(() => With(new CounterSection(tag)));
    }

    [Fact]
    public void Two_sections_with_one_tag_or_too_many_sections_are_refused_when_the_application_is_built()
    {
        Assert.Throws<ArgumentException>(() => With(new CounterSection(3), new CounterSection(3)));
        var many = Enumerable.Range(1, PumpApplication.MaxStateSections + 1).Select(t => (IStateSection)new CounterSection(t)).ToArray();
        Assert.Throws<ArgumentException>(() => With(many));
    }

    [Fact]
    public void A_section_survives_a_power_cycle_through_the_whole_firmware()
    {
        var section = new CounterSection(7) { Counter = 42 };
        var device = With(section);
        device.Status("AUTH 0000");
        byte[] image = Image(device);
        var after = new CounterSection(7);
        var rebooted = new TestDevice(image, configure: app => app.AddStateSection(after));
        Assert.Equal(42, after.Counter);
        Assert.StartsWith("OK state=", rebooted.Status("STATUS?"));
    }
}

/// <summary>CAPS?: what this firmware adds to protocol version 1, for clients that also talk to older pumps.</summary>
public sealed class CapabilityTests
{
    [Fact]
    public void CAPS_lists_the_capability_words_comma_separated_without_a_session()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        string reply = device.Status("CAPS?");
        Assert.Matches("^OK caps=[A-Z0-9_]+(,[A-Z0-9_]+)*$", reply);
        string[] words = reply["OK caps=".Length..].Split(',');
        Assert.Equal(Capabilities.Count, words.Length);
        Assert.Contains("HELP", words);
        Assert.Contains("CAPS", words);
        Assert.Equal(words.Length, words.Distinct().Count());
        Assert.All(words, w => Assert.True(Capabilities.Has(w)));
        Assert.False(Capabilities.Has("NOT_A_FEATURE"));
    }

    [Fact]
    public void CAPS_takes_no_arguments_and_HELP_lists_it()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.StartsWith("ERR 400", device.Status("CAPS? X"));
        Assert.Contains(device.Send("HELP"), l => l == "!HELP CAPS? auth=NO");
    }
}
