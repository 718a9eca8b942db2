// Tests that redirect Console.Out/Error run one at a time: the console is process-wide.
using Xunit;

namespace PumpCtl.Tests.Cli;

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection
{
}
