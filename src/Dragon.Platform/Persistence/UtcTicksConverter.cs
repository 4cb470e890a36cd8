using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dragon.Platform.Persistence;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks (SQLite only); read back with offset zero.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    time => time.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
