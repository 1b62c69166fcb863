export declare function createPostgresDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }>;
