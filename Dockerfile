# One image for both processes; compose picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/ingest/package.json apps/ingest/
COPY apps/api/package.json apps/api/
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/envelope/package.json packages/envelope/
COPY packages/queries/package.json packages/queries/
RUN pnpm install --frozen-lockfile
COPY . .
RUN node_modules/.bin/tsx scripts/build.ts
ENV NODE_ENV=production
CMD ["node", "apps/api/dist/main.js"]
