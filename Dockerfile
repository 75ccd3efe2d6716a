FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json drizzle.config.ts ./
COPY src ./src
COPY migrations ./migrations
USER node
EXPOSE 3000
CMD ["npx", "tsx", "src/server.ts"]
