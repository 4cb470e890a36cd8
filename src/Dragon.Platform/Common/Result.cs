using System.Diagnostics.CodeAnalysis;

namespace Dragon.Platform.Common;

/// <summary>The outcome of a domain operation: a value, or a <see cref="DomainError"/>.</summary>
public readonly struct Result<T>
{
    private Result(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    internal static Result<T> FromValue(T value) => new(value, null);

    public static implicit operator Result<T>(DomainError error) => new(default, error);
}

/// <summary>Builds results where the implicit conversion cannot apply (interface-typed values).</summary>
public static class Result
{
    public static Result<T> Ok<T>(T value) => Result<T>.FromValue(value);
}
