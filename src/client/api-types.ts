// Generated from docs/openapi.json by `npm run openapi` (openapi-typescript): do not edit.
export interface paths {
    "/api/v1/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List repositories */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: {
                                createdAt: string;
                                defaultBranch: string;
                                name: string;
                                /** @description where its objects live (a local folder or s3://bucket/prefix) */
                                storage: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a repository */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        defaultBranch?: string;
                        name: string;
                        /** @description s3://bucket/prefix (required on S3) */
                        storage?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            defaultBranch: string;
                            name: string;
                            /** @description where its objects live (a local folder or s3://bucket/prefix) */
                            storage: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a repository */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            defaultBranch: string;
                            name: string;
                            /** @description where its objects live (a local folder or s3://bucket/prefix) */
                            storage: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List aliases and the branches they name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results: components["schemas"]["Alias"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Point an alias at a branch (create it, or flip it in one compare-and-swap) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        branch: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            previous: string | null;
                            target: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an alias (never the branch it names) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    alias: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List branches */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Branch"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a branch */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description ref to branch from (default: the default branch) */
                        source?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Branch"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a branch */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Branch"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a branch (and its uncommitted changes) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/cherry-pick": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Commit a commit’s changes again on a branch */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for a merge commit: the parent (1-based) its changes are taken against */
                        parent?: number;
                        /** @description the commit to replay */
                        ref: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Commit"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/commits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Commit a branch’s staged changes
         * @description All of them, or with `paths` only those at or under the paths (the rest stays staged). With `idempotencyKey` (and `paths`), a retried request commits nothing new and answers the first commit.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        allowEmpty?: boolean;
                        idempotencyKey?: string;
                        message: string;
                        metadata?: {
                            [key: string]: string;
                        };
                        paths?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Commit"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Commit"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A branch’s uncommitted changes (`sluice status`) */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Change"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload an object to a branch (staged)
         * @description The body is the object’s bytes. `Content-Type` is kept as its content type (guessed from the path when absent or `application/octet-stream`); `x-sluice-meta-<key>` headers are its user metadata.
         */
        put: {
            parameters: {
                query: {
                    /** @description the object’s path */
                    path: string;
                };
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "*/*": string;
                    "application/octet-stream": string;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Entry"];
                    };
                };
            };
        };
        post?: never;
        /** Delete objects on a branch (staged; all or nothing) */
        delete: {
            parameters: {
                query: {
                    /** @description one path, or several (`?path=a&path=b`) */
                    path: string | string[];
                    /** @description also everything under `path/` */
                    recursive?: "true" | "false";
                };
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            branch: string;
                            removed: string[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Reset a branch: to a commit (`to`), or discard its staged changes (optionally under `path`) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        path?: string;
                        to?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            branch: components["schemas"]["Branch"];
                            discarded?: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Commit the inverse of a commit’s changes on a branch */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for a merge commit: the parent (1-based) its changes are taken against */
                        parent?: number;
                        /** @description the commit to replay */
                        ref: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Commit"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Build the server's project on a branch (a run; its result is `sluice build --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description write target/run_results.json and manifest.json in the server's project
                         * @default false
                         */
                        artifacts?: boolean;
                        /** @description default: the default branch */
                        branch?: string;
                        /**
                         * @description build: seeds, models and tests; run: models; test: tests; seed: seeds
                         * @default build
                         * @enum {string}
                         */
                        command?: "build" | "run" | "test" | "seed";
                        exclude?: string[];
                        fullRefresh?: boolean;
                        select?: string[];
                        /** @description a ref whose build is reused */
                        state?: string;
                        threads?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the project's checks at a ref (a run; its result is `sluice check --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description default: the default branch */
                        ref?: string;
                        /** @description failing rows to keep per check */
                        sample?: number;
                        /**
                         * @description store the results and profiles in the history
                         * @default true
                         */
                        store?: boolean;
                        /** @description only the checks of this table */
                        table?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/checks/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A table's stored check results, newest run first (`sluice check history --json`) */
        get: {
            parameters: {
                query: {
                    /** @description runs */
                    amount?: number;
                    table: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runs: {
                                at: string;
                                commit: string;
                                id: string;
                                results: {
                                    [key: string]: unknown;
                                }[];
                            }[];
                            table: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/checks/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest stored check run at the commit a ref names, with its results */
        get: {
            parameters: {
                query?: {
                    ref?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            commit: string;
                            ref: string;
                            run: {
                                at: string;
                                id: string;
                                results: {
                                    [key: string]: unknown;
                                }[];
                                status: string;
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/commits/{commit}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A commit and its changes against its first parent (`sluice show`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a commit id, or any ref */
                    commit: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changes: components["schemas"]["Change"][];
                            commit: components["schemas"]["Commit"];
                            counts: components["schemas"]["ChangeCounts"];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The environments: staging and production, their commits and last runs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the document the CLI prints with --json */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/environments/{env}/deploy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deploy to an environment, blue/green (a run; its result is `sluice deploy --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/environments/{env}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote to an environment (a run; its result is `sluice promote --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/environments/{env}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll an environment back to an earlier deploy (a run; `sluice rollback --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description when the problem was detected (a time, or an age like 15m) */
                        detectedAt?: string;
                        /** @description the deploy id to restore */
                        to?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event log (`sluice events`), paged by id */
        get: {
            parameters: {
                query?: {
                    actor?: string;
                    /** @description the last id of the page before (in `order`) */
                    after?: number;
                    amount?: number;
                    /** @description asc: oldest first (the default) */
                    order?: "asc" | "desc";
                    /** @description a duration ago (7d, 24h, 30m) or an ISO time */
                    since?: string;
                    /** @description comma-separated: load, check, merge, build, promote, deploy, rollback, alert, config, request */
                    type?: string;
                    /** @description a duration ago or an ISO time */
                    until?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Event"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/impact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a branch changes against a base: models, downstream, exposures, breaking columns (`sluice impact`) */
        get: {
            parameters: {
                query: {
                    /** @description the ref to compare with (e.g. main) */
                    base: string;
                    /** @description the branch with the changes (default: the default branch) */
                    branch?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Impact"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/loads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run an ingestor of the project (a run; its result is `sluice load --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        idempotencyKey?: string;
                        ingestor: string;
                        /** @description default: the ingestor's `into` */
                        into?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Outcome metrics from the event log: deployment frequency, lead time, change-failure rate, time to restore (`sluice metrics`) */
        get: {
            parameters: {
                query?: {
                    /** @description the environment deployed to */
                    env?: string;
                    /** @description start of the window: a duration ago or an ISO time */
                    since?: string;
                    /** @description end of the window (default now) */
                    until?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OutcomeMetrics"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{left}/diff/{right}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Changes from one ref to another (their commits: staging is not included) */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    left: string;
                    repository: string;
                    right: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Change"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{left}/tables/{table}/diff/{right}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How a table differs between two refs: schema, then rows added, removed and changed (`sluice table diff`) */
        get: {
            parameters: {
                query?: {
                    /** @description rows shown per kind of change (default 5) */
                    sample?: number;
                };
                header?: never;
                path: {
                    left: string;
                    repository: string;
                    right: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            diff: components["schemas"]["TableDiff"];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/commits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The log: commits reachable from a ref, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    /** @description only commits that changed this path (or under it, with a trailing /) */
                    path?: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Commit"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/lineage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The pipeline lineage at a ref: sources → models → exposures, column by column (`sluice lineage`) */
        get: {
            parameters: {
                query?: {
                    /** @description only what this node depends on and what depends on it */
                    node?: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Lineage"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an object (Range requests answer 206)
         * @description The object’s bytes, with its content type and `ETag` (its checksum). HEAD answers the headers only.
         */
        get: {
            parameters: {
                query: {
                    /** @description the object’s path */
                    path: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description the object’s bytes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description the requested byte range */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/objects/ls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List objects at a ref
         * @description In key order. With `delimiter` (`/`), keys below it collapse into prefixes (`dir/`), as `sluice ls` shows them.
         */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    delimiter?: string;
                    prefix?: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["ListItem"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/objects/stat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An object’s entry: size, checksum, content type, metadata */
        get: {
            parameters: {
                query: {
                    /** @description the object’s path */
                    path: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Entry"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tables at a ref (`sluice table list`) */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            ref: string;
                            results: components["schemas"]["TableSummary"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables/{table}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A table's columns, key, rows, size and files (`sluice table show`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            table: components["schemas"]["TableInfo"];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables/{table}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The commits that changed a table, newest first (`sluice table history`) */
        get: {
            parameters: {
                query?: {
                    /** @description a commit id: the commits after it */
                    after?: string;
                    amount?: number;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            ref: string;
                            results: components["schemas"]["Commit"][];
                            table: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables/{table}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A table's first rows */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            columns: {
                                name: string;
                                type: string;
                            }[];
                            ref: string;
                            rows: {
                                [key: string]: unknown;
                            }[];
                            table: string;
                            /** @description the table has more rows than `limit` */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{source}/merge/{destination}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge a ref into a branch (through its gate)
         * @description Three-way; fast-forwards when it can. On a protected branch the gate runs the checks of the changed tables first; `force` merges past failing checks where the rules allow it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    destination: string;
                    repository: string;
                    source: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        force?: boolean;
                        message?: string;
                        metadata?: {
                            [key: string]: string;
                        };
                        noFastForward?: boolean;
                        /** @enum {string} */
                        strategy?: "fail" | "source-wins" | "dest-wins";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MergeOutcome"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the long operations started on a repository, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description return runs older than this run id */
                    after?: string;
                    amount?: number;
                    kind?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Run"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run: its status, and its result or error once finished */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/runs/{runId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A run's log as Server-Sent Events: `log` events as lines come, then `status`
         * @description Each `log` event carries a line `{seq, time, line}` with `id: seq`; the last event is `status` with the finished run. Resume with `Last-Event-ID` or `?after=`.
         */
        get: {
            parameters: {
                query?: {
                    after?: number;
                };
                header?: never;
                path: {
                    repository: string;
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/runs/{runId}/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run's log lines after a line number (readable while it runs) */
        get: {
            parameters: {
                query?: {
                    /** @description the last line already read */
                    after?: number;
                    amount?: number;
                };
                header?: never;
                path: {
                    repository: string;
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["RunLogLine"][];
                            /**
                             * @description the run's status before these lines were read
                             * @enum {string}
                             */
                            status: "queued" | "running" | "succeeded" | "failed" | "lost";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/sandboxes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sandboxes with their age, expiry and state (`sluice sandbox list`) */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["SandboxStatus"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a sandbox: the branch sandbox/NAME, in O(1), from a ref */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description any ref (default: the default branch) */
                        from?: string;
                        /** @description letters, digits, ".", "_", "-" */
                        name: string;
                        /** @description readable only by its owner and admins */
                        private?: boolean;
                        /** @description removed at the first gc after this long (7d, 24h, 30m) */
                        ttl?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sandbox: components["schemas"]["Sandbox"];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/sandboxes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a sandbox: its branch (with uncommitted changes) and its record */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: {
                                branch: string;
                                branchDeleted: boolean;
                                sandbox: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/sql": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run read-only SQL over the tables of refs (`sluice sql --read-only`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default 1000 */
                        limit?: number;
                        /** @description SQL; several statements run in order and the last one is answered */
                        query: string;
                        /** @description refs whose tables are views (default: the default branch); several: one schema each */
                        refs?: string[];
                        /** @default 30000 */
                        timeoutMs?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            columns: components["schemas"]["Column"][];
                            rows: {
                                [key: string]: unknown;
                            }[];
                            /** @description more rows than `limit`: the answer was cut */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tags */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Tag"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a tag at a ref’s commit */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        ref: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Tag"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tag */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                    tag: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Tag"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a tag */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                    tag: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The server: its version and default repository */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            defaultRepository: string;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user and its groups */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            groups: string[];
                            name: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Alias: {
            name: string;
            target: string;
            updatedAt: string;
        };
        AliasInput: {
            name: string;
            target: string;
            updatedAt: string;
        };
        Branch: {
            createdAt: string;
            head: string;
            isDefault: boolean;
            name: string;
        };
        BranchInput: {
            createdAt: string;
            head: string;
            isDefault: boolean;
            name: string;
        };
        Change: {
            left?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            path: string;
            right?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            /** @enum {string} */
            type: "added" | "removed" | "changed";
        };
        ChangeCounts: {
            added: number;
            changed: number;
            removed: number;
            total: number;
        };
        ChangeCountsInput: {
            added: number;
            changed: number;
            removed: number;
            total: number;
        };
        ChangeInput: {
            left?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            path: string;
            right?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            /** @enum {string} */
            type: "added" | "removed" | "changed";
        };
        Column: {
            name: string;
            type: string;
        };
        ColumnInput: {
            name: string;
            type: string;
        };
        Commit: {
            committer: string;
            createdAt: string;
            generation: number;
            id: string;
            message: string;
            metadata: {
                [key: string]: string;
            };
            parents: string[];
            tree: string;
        };
        CommitInput: {
            committer: string;
            createdAt: string;
            generation: number;
            id: string;
            message: string;
            metadata: {
                [key: string]: string;
            };
            parents: string[];
            tree: string;
        };
        Entry: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
        };
        EntryInput: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
        };
        Error: {
            error: {
                /** @description stable error code, the class name (BranchNotFoundError …) */
                code: string;
                data: unknown;
                message: string;
            };
        };
        ErrorInput: {
            error: {
                /** @description stable error code, the class name (BranchNotFoundError …) */
                code: string;
                data: unknown;
                message: string;
            };
        };
        Event: {
            actor: string;
            id: number;
            outcome: string;
            time: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        EventInput: {
            actor: string;
            id: number;
            outcome: string;
            time: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        Impact: {
            base: string;
            branch: string;
            breaking: {
                /** @enum {string} */
                change: "removed" | "retyped";
                column: string;
                consumer: string;
                /** @enum {string} */
                consumerKind: "model" | "exposure";
                table: string;
            }[];
            brokenExposures: string[];
            changed: string[];
            columnChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "removed" | "retyped" | "added";
                column: string;
                table: string;
            }[];
            downstream: string[];
            exposures: string[];
        };
        ImpactInput: {
            base: string;
            branch: string;
            breaking: {
                /** @enum {string} */
                change: "removed" | "retyped";
                column: string;
                consumer: string;
                /** @enum {string} */
                consumerKind: "model" | "exposure";
                table: string;
            }[];
            brokenExposures: string[];
            changed: string[];
            columnChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "removed" | "retyped" | "added";
                column: string;
                table: string;
            }[];
            downstream: string[];
            exposures: string[];
        };
        Lineage: {
            columns: {
                [key: string]: {
                    columns: {
                        [key: string]: {
                            column: string;
                            relation: string;
                        }[];
                    };
                    unresolved: {
                        column: string;
                        reason: string;
                    }[];
                    used: {
                        column: string;
                        relation: string;
                    }[];
                };
            };
            edges: [
                string,
                string
            ][];
            nodes: {
                id: string;
                /** @enum {string} */
                kind: "seed" | "model" | "test" | "source" | "exposure";
                name: string;
                relation?: string;
            }[];
            ref: string;
        };
        LineageInput: {
            columns: {
                [key: string]: {
                    columns: {
                        [key: string]: {
                            column: string;
                            relation: string;
                        }[];
                    };
                    unresolved: {
                        column: string;
                        reason: string;
                    }[];
                    used: {
                        column: string;
                        relation: string;
                    }[];
                };
            };
            edges: [
                string,
                string
            ][];
            nodes: {
                id: string;
                /** @enum {string} */
                kind: "seed" | "model" | "test" | "source" | "exposure";
                name: string;
                relation?: string;
            }[];
            ref: string;
        };
        ListItem: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
            /** @constant */
            type: "object";
        } | {
            path: string;
            /** @constant */
            type: "prefix";
        };
        ListItemInput: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
            /** @constant */
            type: "object";
        } | {
            path: string;
            /** @constant */
            type: "prefix";
        };
        Merge: {
            applied: number;
            base: string;
            commit: components["schemas"]["Commit"] | null;
            destination: string;
            fastForward: boolean;
            gate?: {
                changedTables: string[];
                checks: {
                    error: number;
                    fail: number;
                    pass: number;
                    warn: number;
                } | null;
                forced: boolean;
                webhooks: {
                    ok: boolean;
                    reason?: string;
                    status?: number;
                    url: string;
                }[];
            };
            resolved: {
                destination: string;
                path: string;
                source: string;
            }[];
            source: string;
            upToDate: boolean;
        };
        MergeInput: {
            applied: number;
            base: string;
            commit: components["schemas"]["CommitInput"] | null;
            destination: string;
            fastForward: boolean;
            gate?: {
                changedTables: string[];
                checks: {
                    error: number;
                    fail: number;
                    pass: number;
                    warn: number;
                } | null;
                forced: boolean;
                webhooks: {
                    ok: boolean;
                    reason?: string;
                    status?: number;
                    url: string;
                }[];
            };
            resolved: {
                destination: string;
                path: string;
                source: string;
            }[];
            source: string;
            upToDate: boolean;
        };
        MergeOutcome: {
            /** @description the merge event's id in the event log */
            event: number | null;
            merge: components["schemas"]["Merge"];
        };
        MergeOutcomeInput: {
            /** @description the merge event's id in the event log */
            event: number | null;
            merge: components["schemas"]["MergeInput"];
        };
        OutcomeMetrics: {
            changeFailureRate: {
                deploys: number;
                failed: number;
                failedDeploys: number;
                rate: number | null;
                rolledBack: number;
            };
            daily: {
                day: string;
                deploys: number;
                failedDeploys: number;
                rollbacks: number;
                rolledBack: number;
            }[];
            days: number;
            deploymentFrequency: {
                deploys: number;
                perDay: number;
                perWeek: number;
            };
            environment: string;
            leadTime: {
                count: number;
                medianMs: number | null;
                p90Ms: number | null;
            };
            loads: {
                error: number;
                failure: number;
                skipped: number;
                success: number;
            };
            since: string;
            timeToRestore: {
                count: number;
                incidents: {
                    deployId: string | null;
                    detectedAt: string;
                    restoredAt: string | null;
                    restoredBy: ("rollback" | "deploy") | null;
                }[];
                medianMs: number | null;
                open: number;
                p90Ms: number | null;
            };
            until: string;
        };
        OutcomeMetricsInput: {
            changeFailureRate: {
                deploys: number;
                failed: number;
                failedDeploys: number;
                rate: number | null;
                rolledBack: number;
            };
            daily: {
                day: string;
                deploys: number;
                failedDeploys: number;
                rollbacks: number;
                rolledBack: number;
            }[];
            days: number;
            deploymentFrequency: {
                deploys: number;
                perDay: number;
                perWeek: number;
            };
            environment: string;
            leadTime: {
                count: number;
                medianMs: number | null;
                p90Ms: number | null;
            };
            loads: {
                error: number;
                failure: number;
                skipped: number;
                success: number;
            };
            since: string;
            timeToRestore: {
                count: number;
                incidents: {
                    deployId: string | null;
                    detectedAt: string;
                    restoredAt: string | null;
                    restoredBy: ("rollback" | "deploy") | null;
                }[];
                medianMs: number | null;
                open: number;
                p90Ms: number | null;
            };
            until: string;
        };
        Run: {
            actor: string;
            createdAt: string;
            /** @description when the run threw: the error document */
            error?: {
                code: string;
                data: unknown;
                message: string;
            };
            /** @description the exit code the CLI gives this outcome */
            exitCode?: number;
            /** @description check, build, load, promote, deploy, rollback */
            kind: string;
            links: {
                events: string;
                log: string;
                self: string;
            };
            /** @description the request as accepted */
            request: unknown;
            /** @description the document the CLI prints with --json */
            result?: unknown;
            runId: string;
            /**
             * @description lost: the process running it stopped answering
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed" | "lost";
            /** @description the last heartbeat or change */
            updatedAt: string;
        };
        RunInput: {
            actor: string;
            createdAt: string;
            /** @description when the run threw: the error document */
            error?: {
                code: string;
                data: unknown;
                message: string;
            };
            /** @description the exit code the CLI gives this outcome */
            exitCode?: number;
            /** @description check, build, load, promote, deploy, rollback */
            kind: string;
            links: {
                events: string;
                log: string;
                self: string;
            };
            /** @description the request as accepted */
            request: unknown;
            /** @description the document the CLI prints with --json */
            result?: unknown;
            runId: string;
            /**
             * @description lost: the process running it stopped answering
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed" | "lost";
            /** @description the last heartbeat or change */
            updatedAt: string;
        };
        RunLogLine: {
            line: string;
            seq: number;
            time: string;
        };
        RunLogLineInput: {
            line: string;
            seq: number;
            time: string;
        };
        Sandbox: {
            branch: string;
            createdAt: string;
            expiresAt: string | null;
            from: string;
            fromCommit: string;
            name: string;
            owner: string;
            /** @description readable only by its owner and admins */
            private: boolean;
        };
        SandboxInput: {
            branch: string;
            createdAt: string;
            expiresAt: string | null;
            from: string;
            fromCommit: string;
            name: string;
            owner: string;
            /** @description readable only by its owner and admins */
            private: boolean;
        };
        SandboxStatus: {
            ageMs: number;
            branch: string;
            createdAt: string;
            expired: boolean;
            expiresAt: string | null;
            expiresInMs: number | null;
            from: string;
            fromCommit: string;
            head: string | null;
            name: string;
            owner: string;
            /** @description readable only by its owner and admins */
            private: boolean;
            /** @enum {string} */
            state: "active" | "expired" | "missing";
            uncommitted: boolean;
        };
        SandboxStatusInput: {
            ageMs: number;
            branch: string;
            createdAt: string;
            expired: boolean;
            expiresAt: string | null;
            expiresInMs: number | null;
            from: string;
            fromCommit: string;
            head: string | null;
            name: string;
            owner: string;
            /** @description readable only by its owner and admins */
            private: boolean;
            /** @enum {string} */
            state: "active" | "expired" | "missing";
            uncommitted: boolean;
        };
        TableDiff: {
            added: number;
            changed: number;
            filesCompared: {
                left: number;
                right: number;
            };
            filesSkipped: number;
            left: {
                commit?: string;
                ref: string;
            };
            primaryKey?: string[];
            primaryKeyChange?: {
                after?: string[];
                before?: string[];
            };
            removed: number;
            right: {
                commit?: string;
                ref: string;
            };
            samples: {
                added: {
                    [key: string]: unknown;
                }[];
                changed: {
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    key: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    left: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    right: {
                        [key: string]: unknown;
                    };
                }[];
                removed: {
                    [key: string]: unknown;
                }[];
            };
            schemaChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "added" | "removed" | "retyped";
                column: string;
            }[];
            table: string;
        };
        TableDiffInput: {
            added: number;
            changed: number;
            filesCompared: {
                left: number;
                right: number;
            };
            filesSkipped: number;
            left: {
                commit?: string;
                ref: string;
            };
            primaryKey?: string[];
            primaryKeyChange?: {
                after?: string[];
                before?: string[];
            };
            removed: number;
            right: {
                commit?: string;
                ref: string;
            };
            samples: {
                added: {
                    [key: string]: unknown;
                }[];
                changed: {
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    key: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    left: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    right: {
                        [key: string]: unknown;
                    };
                }[];
                removed: {
                    [key: string]: unknown;
                }[];
            };
            schemaChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "added" | "removed" | "retyped";
                column: string;
            }[];
            table: string;
        };
        TableInfo: {
            bytes: number;
            columns: components["schemas"]["Column"][];
            files: {
                address: string;
                path: string;
                rows: number;
                size: number;
            }[];
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            ref: string;
            rows: number;
        };
        TableInfoInput: {
            bytes: number;
            columns: components["schemas"]["ColumnInput"][];
            files: {
                address: string;
                path: string;
                rows: number;
                size: number;
            }[];
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            ref: string;
            rows: number;
        };
        TableSummary: {
            bytes: number;
            columns: components["schemas"]["Column"][];
            files: number;
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            rows: number;
        };
        TableSummaryInput: {
            bytes: number;
            columns: components["schemas"]["ColumnInput"][];
            files: number;
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            rows: number;
        };
        Tag: {
            commit: string;
            createdAt: string;
            name: string;
        };
        TagInput: {
            commit: string;
            createdAt: string;
            name: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
