// nanoFramework 1.x has no generics at run time, and a device assembly may reference only
// the nanoFramework assemblies it will be deployed with. The compiler cannot be told to
// refuse generics, so this reads the compiled metadata instead: any generic type or method
// definition, any generic instantiation (TypeSpec GENERICINST, MethodSpec) and any assembly
// reference outside the allowed set is a violation. Shared by every gate test.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace PumpFirmware.Tests.Shared;

/// <summary>Finds what nanoFramework cannot load in a compiled assembly.</summary>
public static class NanoMetadataChecker
{
    private const byte ElementTypeGenericInst = 0x15;

    /// <summary>Returns one human-readable line per violation; empty when the assembly is nano-clean.</summary>
    /// <param name="assemblyPath">The compiled .dll to read.</param>
    /// <param name="allowedReferences">Assembly names that may be referenced (e.g. "mscorlib").</param>
    public static IReadOnlyList<string> Check(string assemblyPath, params string[] allowedReferences)
    {
        var violations = new List<string>();
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();

        foreach (var handle in md.AssemblyReferences)
        {
            var name = md.GetString(md.GetAssemblyReference(handle).Name);
            if (!allowedReferences.Contains(name, StringComparer.Ordinal))
            {
                violations.Add($"reference to assembly '{name}' (allowed: {string.Join(", ", allowedReferences)})");
            }
        }

        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            if (type.GetGenericParameters().Count > 0)
            {
                violations.Add($"generic type definition {TypeName(md, type)}");
            }
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.GetGenericParameters().Count > 0)
                {
                    violations.Add($"generic method definition {TypeName(md, type)}.{md.GetString(method.Name)}");
                }
            }
        }

        foreach (var handle in GetTypeSpecHandles(md))
        {
            var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
            if (blob.Length > 0 && blob.ReadByte() == ElementTypeGenericInst)
            {
                violations.Add($"generic instantiation (TypeSpec row {MetadataTokens.GetRowNumber(handle)}): {DescribeGenericInst(md, handle)}");
            }
        }

        int methodSpecs = md.GetTableRowCount(TableIndex.MethodSpec);
        for (int row = 1; row <= methodSpecs; row++)
        {
            var spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            violations.Add($"generic method instantiation (MethodSpec row {row}) of {DescribeMethod(md, spec.Method)}");
        }

        return violations;
    }

    private static IEnumerable<TypeSpecificationHandle> GetTypeSpecHandles(MetadataReader md)
    {
        int rows = md.GetTableRowCount(TableIndex.TypeSpec);
        for (int row = 1; row <= rows; row++)
        {
            yield return MetadataTokens.TypeSpecificationHandle(row);
        }
    }

    private static string TypeName(MetadataReader md, TypeDefinition type)
    {
        var ns = md.GetString(type.Namespace);
        var name = md.GetString(type.Name);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string DescribeGenericInst(MetadataReader md, TypeSpecificationHandle handle)
    {
        var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
        blob.ReadByte(); // GENERICINST
        blob.ReadByte(); // CLASS or VALUETYPE
        var open = blob.ReadTypeHandle();
        return DescribeType(md, open);
    }

    private static string DescribeType(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)handle).Namespace) + "." +
                                    md.GetString(md.GetTypeReference((TypeReferenceHandle)handle).Name),
        HandleKind.TypeDefinition => TypeName(md, md.GetTypeDefinition((TypeDefinitionHandle)handle)),
        _ => handle.Kind.ToString(),
    };

    private static string DescribeMethod(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.MethodDefinition => md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
        HandleKind.MemberReference => md.GetString(md.GetMemberReference((MemberReferenceHandle)handle).Name),
        _ => handle.Kind.ToString(),
    };
}
