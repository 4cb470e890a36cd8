namespace Dragon.Platform.Common;

/// <summary>Shared checks for free-text fields.</summary>
public static class Text
{
    /// <summary>Trims <paramref name="text"/> and records a message when it is missing, too short, too long or holds control characters.</summary>
    public static string Required(string? text, string field, int min, int max, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add(field, $"{field} is required.");
        }
        else if (trimmed.Length < min || trimmed.Length > max)
        {
            errors.Add(field, $"{field} must be {min} to {max} characters long.");
        }
        else if (trimmed.Any(char.IsControl))
        {
            errors.Add(field, $"{field} must not contain control characters.");
        }
        return trimmed;
    }

    public static string Optional(string? text, string field, int max, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length > max)
        {
            errors.Add(field, $"{field} must be at most {max} characters long.");
        }
        return trimmed;
    }
}
