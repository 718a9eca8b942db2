using System.Reflection;

[assembly: AssemblyTitle("PumpFirmware.Device.Tests")]
[assembly: AssemblyVersion("1.0.0.0")]
