// The bridge to the virtual device's entry points (tools/VirtualDevice/Cli). Until they land
// on main this says so plainly instead of pretending.
namespace PumpCtl.Cli;

/// <summary>Forwards <c>pumpctl sim</c> and <c>pumpctl simulate</c>.</summary>
public static class VirtualDeviceCommands
{
    /// <summary><c>pumpctl sim ...</c>.</summary>
    public static int Sim(string[] args) => NotYet("sim");

    /// <summary><c>pumpctl simulate ...</c>.</summary>
    public static int Simulate(string[] args) => NotYet("simulate");

    private static int NotYet(string name)
    {
        Console.Error.WriteLine($"pumpctl {name}: the virtual device has not landed in this build yet (issue 4)");
        return ExitCodes.Usage;
    }
}
