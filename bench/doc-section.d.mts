export declare function writeDocSection(name: string, lines: readonly string[]): string;
