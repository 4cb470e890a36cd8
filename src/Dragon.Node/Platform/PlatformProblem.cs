using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Dragon.Node.Platform;

/// <summary>Turns an unsuccessful answer (RFC 9457 problem+json, an OAuth error, or anything else) into a readable exception.</summary>
public static class PlatformProblem
{
    public static async Task<PlatformException> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var errors = Errors(body);
        var described = Describe(body, errors);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{what}: the platform answered {status} {response.ReasonPhrase}{(described.Length == 0 ? "." : ": " + described)}");
        return new PlatformException(response.StatusCode, message, errors);
    }

    /// <summary>The OAuth <c>error</c> code of a token endpoint answer, or null.</summary>
    public static string? OAuthError(string body) => Property(body, "error");

    private static string Describe(string body, IReadOnlyDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return string.Empty;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return string.Empty;
            }
            var parts = new List<string>();
            AddString(root, "title", parts);
            AddString(root, "detail", parts);
            AddString(root, "error", parts);
            AddString(root, "error_description", parts);
            parts.AddRange(errors.Select(field => $"{field.Key}: {string.Join(" ", field.Value)}"));
            return string.Join("; ", parts.Distinct(StringComparer.Ordinal));
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    /// <summary>The <c>errors</c> member of a problem+json body, field by field.</summary>
    private static Dictionary<string, string[]> Errors(string body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var fields)
                && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                        : [field.Value.ToString()];
                }
            }
        }
        catch (JsonException)
        {
        }
        return errors;
    }

    private static void AddString(JsonElement root, string name, List<string> parts)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            parts.Add(value.GetString()!);
        }
    }

    private static string? Property(string body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty(name, out var value)
                   && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
