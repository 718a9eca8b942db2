// pumpctl's entry point; everything else is in Cli/.
namespace PumpCtl;

/// <summary>The process entry point.</summary>
public static class Program
{
    /// <summary>Runs pumpctl.</summary>
    public static int Main(string[] args) => Cli.CliApp.Run(args);
}
