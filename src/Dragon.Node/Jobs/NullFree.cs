using System.Collections;
using System.Reflection;

namespace Dragon.Node.Jobs;

/// <summary>
/// Finds a null where a contract declares none: a property or a list element of a non-nullable type, at any depth of the
/// contracts the platform sends. JSON readers fill such places with null when the platform sends null or leaves a field
/// out, and the code reading them trusts the declaration.
/// </summary>
public static class NullFree
{
    private const int MaxDepth = 16;

    /// <returns>The path of the first such null (<c>job.aggregation</c>, <c>commitments[2]</c>), or null when there is none.</returns>
    public static string? FirstNull(object value) => FirstNull(value, "", new NullabilityInfoContext(), 0);

    private static string? FirstNull(object value, string path, NullabilityInfoContext nullability, int depth)
    {
        if (depth > MaxDepth || !IsContract(value.GetType()))
        {
            return null;
        }
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var at = path.Length == 0 ? Camel(property.Name) : $"{path}.{Camel(property.Name)}";
            var info = nullability.Create(property);
            var found = property.GetValue(value) switch
            {
                null => info.ReadState == NullabilityState.NotNull ? at : null,
                string => null,
                IEnumerable items => InItems(items, at, info.GenericTypeArguments.FirstOrDefault() ?? info.ElementType, nullability, depth),
                var inner => FirstNull(inner, at, nullability, depth + 1),
            };
            if (found is not null)
            {
                return found;
            }
        }
        return null;
    }

    private static string? InItems(IEnumerable items, string path, NullabilityInfo? element, NullabilityInfoContext nullability, int depth)
    {
        var i = 0;
        foreach (var item in items)
        {
            var found = item is null
                ? element?.ReadState == NullabilityState.NotNull ? $"{path}[{i}]" : null
                : FirstNull(item, $"{path}[{i}]", nullability, depth + 1);
            if (found is not null)
            {
                return found;
            }
            i++;
        }
        return null;
    }

    private static bool IsContract(Type type) => type.Namespace?.StartsWith("Dragon.Contracts", StringComparison.Ordinal) == true && type.IsClass;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
