using System.Reflection;
using PumpFirmware.Hal.Esp32;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>hardware/pinmap.csv and the PinMap constants describe the same wiring, and the
/// wiring respects the ESP32-WROOM-32's pin rules.</summary>
public class PinMapTests
{
    private sealed record Row(string Signal, string Constant, int Gpio, string Direction, string Variant, string Pull);

    private static readonly int[] FlashPins = { 6, 7, 8, 9, 10, 11 };
    private static readonly int[] StrappingPins = { 0, 2, 5, 12, 15 };
    private static readonly int[] Uart0Pins = { 1, 3 };

    private static List<Row> Csv()
    {
        var lines = File.ReadAllLines(TestPaths.InRepo("hardware/pinmap.csv"));
        Assert.Equal("signal,constant,gpio,direction,variant,active,pull,notes", lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split(',', 8);
            return new Row(f[0], f[1], int.Parse(f[2]), f[3], f[4], f[6]);
        }).ToList();
    }

    private static Dictionary<string, int> Constants() =>
        typeof(PinMap).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);

    [Fact]
    public void Every_row_matches_its_constant_and_every_constant_has_one_row()
    {
        var rows = Csv();
        var constants = Constants();
        Assert.Equal(constants.Keys.Order(), rows.Select(r => r.Constant).Order());
        foreach (var row in rows)
        {
            Assert.True(constants.TryGetValue(row.Constant, out var gpio), $"no PinMap.{row.Constant}");
            Assert.Equal(gpio, row.Gpio);
        }
    }

    [Theory]
    [InlineData("stepper")]
    [InlineData("dc")]
    public void No_pin_is_used_twice_in_a_build(string variant)
    {
        var used = Csv().Where(r => r.Variant == "common" || r.Variant == variant).ToList();
        Assert.Contains(used, r => r.Variant == variant);
        var twice = used.GroupBy(r => r.Gpio).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(twice);
    }

    [Fact]
    public void Only_known_variants_and_directions()
    {
        Assert.All(Csv(), r =>
        {
            Assert.Contains(r.Variant, new[] { "common", "stepper", "dc" });
            Assert.Contains(r.Direction, new[] { "in", "out" });
        });
    }

    [Fact]
    public void Input_only_pins_are_inputs_with_external_pull_ups_where_pulled()
    {
        foreach (var row in Csv().Where(r => r.Gpio >= 34 && r.Gpio <= 39))
        {
            Assert.Equal("in", row.Direction);
            Assert.DoesNotContain("internal", row.Pull);
        }
    }

    [Fact]
    public void Flash_strapping_and_debug_uart_pins_are_not_used()
    {
        Assert.All(Csv(), r =>
        {
            Assert.DoesNotContain(r.Gpio, FlashPins);
            Assert.DoesNotContain(r.Gpio, StrappingPins);
            Assert.DoesNotContain(r.Gpio, Uart0Pins);
            Assert.InRange(r.Gpio, 0, 39);
        });
    }

    [Fact]
    public void Motor_enabling_outputs_have_an_external_resistor_that_holds_them_off_in_reset()
    {
        var rows = Csv().ToDictionary(r => r.Signal);
        Assert.Contains("to 3V3", rows["ENABLE"].Pull);     // active-low enable pulled high = disabled
        Assert.Contains("to GND", rows["MOTOR_STBY"].Pull); // standby pulled low = bridge off
    }

    [Fact]
    public void The_wiring_diagram_names_every_pin_of_the_table()
    {
        var svg = File.ReadAllText(TestPaths.InRepo("hardware/wiring.svg"));
        System.Xml.Linq.XDocument.Parse(svg); // well-formed, so browsers render it
        foreach (var row in Csv())
        {
            Assert.Contains($"GPIO{row.Gpio} ", svg);
            Assert.Contains(row.Signal, svg);
        }
    }

    [Fact]
    public void The_bill_of_materials_has_a_part_number_for_every_line()
    {
        var lines = File.ReadAllLines(TestPaths.InRepo("hardware/bom.csv"));
        Assert.Equal("ref,qty,variant,part,manufacturer,part_number,notes", lines[0]);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = line.Split(',', 7);
            Assert.Equal(7, fields.Length);
            Assert.True(int.Parse(fields[1]) >= 1);
            Assert.Contains(fields[2], new[] { "common", "stepper", "dc" });
            Assert.False(string.IsNullOrWhiteSpace(fields[5]), $"{fields[0]} has no part number");
        }
    }
}
