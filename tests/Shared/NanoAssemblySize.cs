// nanoFramework's metadata processor writes an assembly's method bodies into one byte code table
// addressed with 16-bit offsets: past 65,535 bytes it stops with "Byte code table overflow ...
// It's impossible to compile such a large assembly". The host cannot run the metadata processor,
// so the gate tests read the compiled assembly's method bodies instead: the processor's byte code
// is the same instructions with shorter tokens and no method headers, about 0.71 bytes for each
// byte counted here (docs/NANO-RUNTIME.md has the measured pairs).
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PumpFirmware.Tests.Shared;

/// <summary>Measures the byte code a compiled assembly carries into the metadata processor.</summary>
public static class NanoAssemblySize
{
    /// <summary>Sum, in bytes, of every method body of the assembly as stored in its IL stream:
    /// header, IL and exception-handling sections (MethodBodyBlock.Size). Methods without a body
    /// (abstract, extern) count nothing.</summary>
    /// <param name="assemblyPath">The compiled .dll to read.</param>
    public static long MethodBodyBytes(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        long bytes = 0;
        foreach (var handle in md.MethodDefinitions)
        {
            int rva = md.GetMethodDefinition(handle).RelativeVirtualAddress;
            if (rva != 0) bytes += pe.GetMethodBody(rva).Size;
        }
        return bytes;
    }
}
