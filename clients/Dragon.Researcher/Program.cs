using Dragon.Researcher;

return await new ResearcherCli(Console.Out, Console.Error).RunAsync(args, CancellationToken.None);
