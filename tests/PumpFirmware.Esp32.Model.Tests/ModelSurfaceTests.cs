using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>The model implements exactly the facade's public surface: every public type of the
/// facade exists in the model with the same kind, base type, interfaces, enum values and public
/// or protected members (by signature), and the model adds no public member or type of its own
/// in the facade's namespaces. The facade stays the compile-time check of the device build; this
/// keeps the model from drifting away from it.</summary>
public class ModelSurfaceTests
{
    private static string Metadata(string key) =>
        typeof(ModelSurfaceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;

    [Fact]
    public void The_model_has_the_facade_public_surface_and_nothing_more()
    {
        var facade = Surface(Metadata("Esp32FacadeAssembly"), null);
        Assert.True(facade.Count >= 30, $"only {facade.Count} facade types read");
        var namespaces = facade.Keys.Select(k => k[..k.LastIndexOf('.')]).ToHashSet();
        var model = Surface(typeof(ModelSurfaceTests).Assembly.Location, namespaces);
        Assert.Equal(facade.Keys.Order(), model.Keys.Order());
        foreach (var (type, members) in facade)
        {
            var missing = members.Except(model[type]).ToList();
            var extra = model[type].Except(members).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{type}: missing in the model [{string.Join("; ", missing)}], extra in the model [{string.Join("; ", extra)}]");
        }
    }

    private static Dictionary<string, SortedSet<string>> Surface(string path, HashSet<string> onlyNamespaces)
    {
        // System.IO.File and Stream are the model's in this project (see the project file); a
        // StreamReader's BaseStream is the framework's FileStream, which PEReader takes.
        using var file = new System.IO.StreamReader(path);
        using var pe = new PEReader(file.BaseStream);
        var md = pe.GetMetadataReader();
        var provider = new NameProvider(md);
        var result = new Dictionary<string, SortedSet<string>>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            if ((type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public)
            {
                continue;
            }

            string ns = md.GetString(type.Namespace);
            string name = ns + "." + md.GetString(type.Name);
            if (onlyNamespaces != null && !onlyNamespaces.Contains(ns))
            {
                continue;
            }

            if (onlyNamespaces == null && name == "System.SpanByte")
            {
                continue;
            }

            var members = new SortedSet<string>(StringComparer.Ordinal);
            string kind = (type.Attributes & TypeAttributes.Interface) != 0 ? "interface"
                : (type.Attributes & TypeAttributes.Abstract) != 0 && (type.Attributes & TypeAttributes.Sealed) != 0 ? "static"
                : (type.Attributes & TypeAttributes.Abstract) != 0 ? "abstract"
                : (type.Attributes & TypeAttributes.Sealed) != 0 ? "sealed" : "open";
            string baseType = type.BaseType.IsNil ? "" : provider.Name(type.BaseType);
            if (baseType == "System.ValueType" || baseType == "System.Enum")
            {
                kind = baseType == "System.Enum" ? "enum" : "struct";
            }

            members.Add("kind " + kind + " : " + baseType);
            foreach (var i in type.GetInterfaceImplementations())
            {
                members.Add("implements " + provider.Name(md.GetInterfaceImplementation(i).Interface));
            }

            foreach (var f in type.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                if ((field.Attributes & FieldAttributes.FieldAccessMask) != FieldAttributes.Public)
                {
                    continue;
                }

                string value = "";
                if (!field.GetDefaultValue().IsNil)
                {
                    var reader = md.GetBlobReader(md.GetConstant(field.GetDefaultValue()).Value);
                    value = " = " + reader.ReadInt32();
                }

                members.Add("field " + field.DecodeSignature(provider, null) + " " + md.GetString(field.Name) + value);
            }

            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                var access = method.Attributes & MethodAttributes.MemberAccessMask;
                if (access != MethodAttributes.Public && access != MethodAttributes.Family && access != MethodAttributes.FamORAssem)
                {
                    continue;
                }

                var sig = method.DecodeSignature(provider, null);
                string modifiers = ((method.Attributes & MethodAttributes.Static) != 0 ? "static " : "")
                    + ((method.Attributes & MethodAttributes.Abstract) != 0 ? "abstract " : (method.Attributes & MethodAttributes.Virtual) != 0 && (method.Attributes & MethodAttributes.Final) == 0 ? "virtual " : "")
                    + (access == MethodAttributes.Public ? "public " : "protected ");
                members.Add("method " + modifiers + sig.ReturnType + " " + md.GetString(method.Name) + "(" + string.Join(", ", sig.ParameterTypes) + ")");
            }

            result[name] = members;
        }

        return result;
    }

    private sealed class NameProvider : ISignatureTypeProvider<string, object>
    {
        private readonly MetadataReader _md;

        public NameProvider(MetadataReader md) => _md = md;

        public string Name(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => GetTypeFromDefinition(_md, (TypeDefinitionHandle)handle, 0),
            HandleKind.TypeReference => GetTypeFromReference(_md, (TypeReferenceHandle)handle, 0),
            _ => handle.Kind.ToString(),
        };

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Void => "void",
            PrimitiveTypeCode.Boolean => "bool",
            PrimitiveTypeCode.Byte => "byte",
            PrimitiveTypeCode.UInt16 => "ushort",
            PrimitiveTypeCode.Int32 => "int",
            PrimitiveTypeCode.UInt32 => "uint",
            PrimitiveTypeCode.Int64 => "long",
            PrimitiveTypeCode.UInt64 => "ulong",
            PrimitiveTypeCode.Double => "double",
            PrimitiveTypeCode.String => "string",
            PrimitiveTypeCode.Object => "object",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var t = reader.GetTypeDefinition(handle);
            return reader.GetString(t.Namespace) + "." + reader.GetString(t.Name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var t = reader.GetTypeReference(handle);
            return reader.GetString(t.Namespace) + "." + reader.GetString(t.Name);
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericMethodParameter(object genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "spec";
    }
}
