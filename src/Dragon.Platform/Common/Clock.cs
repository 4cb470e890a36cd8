namespace Dragon.Platform.Common;

/// <summary>Current UTC time truncated to microseconds, the precision every supported database keeps.</summary>
public static class Clock
{
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    public static DateTimeOffset UtcNow(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Truncate(timeProvider.GetUtcNow());
    }
}
