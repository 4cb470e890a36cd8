using Dragon.Node.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return await NodeCli.RunAsync(args, NodeConsole.System(), stop.Token);
