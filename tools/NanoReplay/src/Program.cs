// The replay's entry point on both runtimes: prints to the console (on nanoCLR, the debug
// output that the emulator and `nanoff`/Visual Studio show).
namespace PumpFirmware.Replay
{
    /// <summary>Prints the replay to the console.</summary>
    public static class Program
    {
        /// <summary>Runs the replay.</summary>
        public static void Main()
        {
            Replay.Run(new ConsoleOutput());
        }
    }

    /// <summary>Console lines.</summary>
    public sealed class ConsoleOutput : IReplayOutput
    {
        /// <inheritdoc/>
        public void Line(string text)
        {
            System.Console.WriteLine(text);
        }
    }
}
